package ru.b24connector.ui;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.PortalWireMock;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.json;

/**
 * Card-render benchmark (not part of the suite; {@code bash scripts/bench-card.sh}): portal calls per opening, and
 * render latency of the tab at {@code CONCURRENCY} concurrent openings of warm cards, over real HTTP and MariaDB.
 */
@QuarkusTest
@TestProfile(CardBenchProfile.class)
class CardRenderBench {

    private static final int CARDS = Integer.getInteger("bench.cards", 20);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 20);
    private static final int OPENINGS = Integer.getInteger("bench.openings", 50);

    WireMockServer portal = PortalWireMock.server();

    @TestHTTPResource("/ui/card")
    URL handler;

    @Test
    void openCards() throws Exception {
        FramePortal.install(portal);
        List<Long> deals = new ArrayList<>();
        for (int i = 0; i < CARDS; i++) {
            long deal = CardFixtures.newDealId();
            CardFixtures.story(deal, false);
            deals.add(deal);
        }
        portal.stubFor(post(urlPathEqualTo("/rest/batch")).withRequestBody(matchingJsonPath("$.auth", matching("bench-.*")))
                .willReturn(json(200, FramePortal.batch(Map.of("me", FramePortal.me(7, "Мария", "Иванова"),
                        "admin", "false", "deal", FramePortal.deal(1, "Рекламация", "C3:PREPARATION", 7),
                        "users", FramePortal.USERS, "rows", "[]"), Map.of()))));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);

        // cold: every card opened once by its own user token, all at once
        List<Long> cold = round(pool, http, deals, 1);
        long coldCalls = portal.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/batch")).build()).getCount();
        // warm: the same frames opened again and again (the portal re-posts the tab with the same token)
        round(pool, http, deals, 5); // warm-up of the JIT
        portal.resetRequests();
        List<Long> warm = round(pool, http, deals, OPENINGS);
        long warmCalls = portal.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/batch")).build()).getCount();
        pool.shutdown();

        System.out.printf("%nCARD BENCH: %d cards, %d concurrent clients%n", CARDS, CONCURRENCY);
        System.out.printf("cold openings: %d, portal calls: %d (%.2f per opening), latency %s%n", cold.size(),
                coldCalls, coldCalls / (double) cold.size(), TimedPosts.stats(cold));
        System.out.printf("warm openings: %d, portal calls: %d, latency %s%n%n", warm.size(), warmCalls, TimedPosts.stats(warm));
        assertThat(coldCalls).isLessThanOrEqualTo(cold.size());
    }

    /** Each of the CONCURRENCY clients opens cards {@code times} times; returns every opening's latency (µs). */
    private List<Long> round(ExecutorService pool, HttpClient http, List<Long> deals, int times) throws Exception {
        return TimedPosts.round(pool, http, CONCURRENCY, c -> {
            long deal = deals.get(c % deals.size());
            return new TimedPosts.Target(URI.create(handler + FramePortal.query("acme.bitrix24.ru", "ru")),
                    FramePortal.cardForm("bench-" + deal, deal), "Редуктор GBX-24");
        }, times);
    }
}
