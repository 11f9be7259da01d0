package ru.b24connector.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.LogCapture;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ru.b24connector.testsupport.PortalStubs.fixture;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.page;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * {@code user.get} and {@code user.search}, replaying the documentation's example answers ({@code user/user-get.md},
 * {@code user/user-search.md}; copies in src/test/resources/b24/docs/) and its paging: "the page size is always 50",
 * {@code start} = (N-1)·50, {@code total}.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class UserMethodsDocExamplesTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    PortalUsers users;

    @Inject
    PortalClient client;

    @BeforeEach
    void clean() {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        users.forget();
    }

    @Test
    @DisplayName("user/user-get.md example: names read by id (FILTER[ID] as an array), then kept: no second call")
    void namesAreReadByIdFromTheDocsAnswer() {
        portal.stubFor(portalCall("user.get").willReturn(json(200, fixture("/b24/docs/user.get.json"))));

        assertThat(users.names(List.of(1L, 3L))).containsEntry(1L, "Вадим Валеев").containsEntry(3L, "Иван Иванов");
        assertThat(users.names(List.of(3L))).containsEntry(3L, "Иван Иванов");

        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "user.get"))
                .withRequestBody(matchingJsonPath("$.FILTER.ID[0]", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.FILTER.ID[1]", equalTo("3"))));
    }

    @Test
    @DisplayName("user/user-search.md example has user.get's shape: the same reading of ID, NAME, LAST_NAME, ACTIVE")
    void theSearchAnswerReadsAsUsers() throws Exception {
        var rows = new ObjectMapper().readTree(fixture("/b24/docs/user.search.json")).path("result");
        assertThat(PortalUsers.person(rows.get(0))).isEqualTo(new PortalUsers.Person(1, "Вадим Валеев", true));
        assertThat(PortalUsers.person(rows.get(1))).isEqualTo(new PortalUsers.Person(3, "Иван Иванов", true));
    }

    @Test
    @DisplayName("A name search on a portal of 120 matches: the first page of 50 and \"refine\" with the total")
    void aSearchShowsTheFirstPageAndTheTotal() {
        portal.stubFor(portalCall("user.get").willReturn(page(users(1, 50), 120, 50)));

        PortalUsers.Found found = users.search("Ив");

        assertThat(found.people()).hasSize(50);
        assertThat(found.total()).isEqualTo(120);
        portal.verify(postRequestedFor(urlPathEqualTo(HOOK + "user.get"))
                .withRequestBody(matchingJsonPath("$.FILTER.NAME_SEARCH", equalTo("Ив")))
                .withRequestBody(matchingJsonPath("$.FILTER.ACTIVE", equalTo("true"))));
    }

    @Test
    @DisplayName("A user list whose next never moves on stops with one ERROR line (ENDLESS_LIST), not a loop")
    void aListThatNeverEndsStopsWithAClearLine() {
        portal.stubFor(portalCall("user.get").willReturn(page(users(1, 50), 500, 50)));

        try (LogCapture log = LogCapture.start()) {
            assertThatThrownBy(() -> client.list("user.get", Map.of("FILTER", Map.of("ACTIVE", true))))
                    .isInstanceOfSatisfying(PortalException.Rejected.class,
                            e -> assertThat(e.code()).isEqualTo("ENDLESS_LIST"));
            assertThat(log.lines()).anyMatch(l -> l.contains("user.get") && l.contains("does not end"));
        }
        portal.verify(2, postRequestedFor(urlPathEqualTo(HOOK + "user.get")));
    }

    private static String users(int from, int to) {
        StringBuilder out = new StringBuilder("[");
        for (int id = from; id <= to; id++) {
            out.append(id == from ? "" : ",").append("{\"ID\":\"").append(id).append("\",\"ACTIVE\":true,\"NAME\":\"Иван\",")
                    .append("\"LAST_NAME\":\"Сотрудник").append(id).append("\",\"USER_TYPE\":\"employee\"}");
        }
        return out.append(']').toString();
    }
}
