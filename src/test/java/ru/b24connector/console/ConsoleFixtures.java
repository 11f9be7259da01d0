package ru.b24connector.console;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.arc.Arc;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/** Claims in the database and deals in the WireMock portal (webhook mode) for the console's tests. */
final class ConsoleFixtures {

    static final String XSS = "<script>alert('dealer')</script>";
    private static final AtomicLong DEALS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 10 + 800_000_000L);

    private ConsoleFixtures() {
    }

    static long newDealId() {
        return DEALS.incrementAndGet();
    }

    /** A dealer claim that reached the CRM as deal {@code dealId}; its text carries a script. */
    static void claim(long dealId, String claimId, String inn) {
        String request = """
                {"dealer":{"companyName":"ООО «Техноснаб»","inn":"%2$s","contactName":"Иван Петров",
                 "email":"service@tehnosnab.ru","phone":"+79123456789"},"dealerClaimId":"%1$s",
                 "claimText":"%3$s","items":[{"productName":"Редуктор GBX-24","sku":"GBX-24","quantity":1,
                 "serialNumber":"GBX-24-0017731","defectDescription":"Течь из-под сальника","photos":[]}]}"""
                .formatted(claimId, inn, XSS.replace("'", "\\u0027"));
        Timestamp at = Timestamp.from(Instant.now().minus(Duration.ofHours(3)));
        QuarkusTransaction.requiringNew().run(() -> Arc.container().instance(EntityManager.class).get()
                .createNativeQuery("INSERT INTO reclamation (token_hash, dealer_claim_id, inn, request_json, status, claims, "
                        + "deal_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'IN_CRM', 1, ?5, ?6, ?6)")
                .setParameter(1, "c".repeat(64)).setParameter(2, claimId).setParameter(3, inn)
                .setParameter(4, request).setParameter(5, dealId).setParameter(6, at).executeUpdate());
    }

    /** Runs SQL in its own transaction. */
    static void sql(String sql, Object... params) {
        QuarkusTransaction.requiringNew().run(() -> {
            var q = Arc.container().instance(EntityManager.class).get().createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            q.executeUpdate();
        });
    }

    /** An open tracked task of deal {@code dealId}, five hours past its deadline, escalated to level 1. */
    static void overdueTask(long dealId, String title) {
        Timestamp now = Timestamp.from(Instant.now());
        sql("INSERT INTO tracked_task (dedup_key, tag, task_id, deal_id, responsible_id, title, deadline, status, source, "
                + "escalation_level, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 7, ?5, ?6, 'OPEN', 'console-test', 1, ?7, ?7)",
                "console-test:" + dealId, "t" + dealId, dealId + 1, dealId, title,
                Timestamp.from(Instant.now().minus(Duration.ofHours(5))), now);
    }

    /**
     * The deal in the portal: what the card reads (one batch) and what a dry run reads ({@code crm.deal.get}), in
     * pipeline 0, stage INVOICE (the follow-ups example's stage).
     */
    static void deal(WireMockServer portal, long dealId) {
        String deal = "{\"ID\":\"" + dealId + "\",\"TITLE\":\"Рекламация " + dealId + "\",\"CATEGORY_ID\":\"0\","
                + "\"STAGE_ID\":\"INVOICE\",\"STAGE_SEMANTIC_ID\":\"P\",\"ASSIGNED_BY_ID\":\"7\",\"COMPANY_ID\":\"45\","
                + "\"CONTACT_ID\":\"88\",\"DATE_CREATE\":\"2026-01-01T09:12:00+03:00\",\"DATE_MODIFY\":\"2026-03-02T10:00:00+03:00\"}";
        String users = "[{\"ID\":\"7\",\"NAME\":\"Мария\",\"LAST_NAME\":\"Иванова\"}]";
        portal.stubFor(portalCall("batch").withRequestBody(containing("crm.deal.productrows.get"))
                .withRequestBody(containing(String.valueOf(dealId)))
                .willReturn(ok("{\"result\":{\"deal\":" + deal + ",\"users\":" + users + ",\"rows\":[]},"
                        + "\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}")));
        portal.stubFor(portalCall("crm.deal.get").withRequestBody(equalToJson("{\"id\":" + dealId + "}"))
                .willReturn(ok(deal)));
    }
}
