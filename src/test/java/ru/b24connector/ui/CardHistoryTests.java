package ru.b24connector.ui;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.OAuthModeProfile;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The card's one timeline: stage moves with who moved them and why, beside tasks, questions, e-mails and 1C. */
@QuarkusTest
@TestProfile(OAuthModeProfile.class)
class CardHistoryTests {

    WireMockServer portal = PortalWireMock.server();

    @Inject
    PlacementGate gate;

    long dealId;

    @BeforeEach
    void seed() {
        gate.forget();
        FramePortal.install(portal);
        dealId = CardFixtures.newDealId();
        CardFixtures.story(dealId, false);
        moves(dealId, Instant.now());
        FramePortal.stubUsers(portal, FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION", 7), "[]");
    }

    /** Intake → a person → the service's rule → 1C's status → the service's required-field bounce. */
    static void moves(long dealId, Instant now) {
        Instant received = now.minus(Duration.ofDays(3));
        AnalyticsFixtures.run(em -> {
            AnalyticsFixtures.move(em, dealId, null, "C3:NEW", received, received.plus(Duration.ofHours(5)),
                    "INTAKE", null, "created");
            AnalyticsFixtures.move(em, dealId, "C3:NEW", "C3:REVIEW", received.plus(Duration.ofHours(5)),
                    received.plus(Duration.ofDays(1)), "USER", 7L, null);
            AnalyticsFixtures.move(em, dealId, "C3:REVIEW", "C3:DECISION", received.plus(Duration.ofDays(1)),
                    received.plus(Duration.ofDays(2)), "SERVICE", null, "rule:when all tasks of the stage are completed");
            AnalyticsFixtures.move(em, dealId, "C3:DECISION", "C3:REVIEW", received.plus(Duration.ofDays(2)),
                    received.plus(Duration.ofDays(2).plusHours(1)), "ONEC", null, "onec:На рассмотрении");
            AnalyticsFixtures.move(em, dealId, "C3:REVIEW", "C3:PREPARATION", received.plus(Duration.ofDays(2).plusHours(1)),
                    null, "SERVICE", null, "required:Контакт");
        });
    }

    @Test
    void theTimelineShowsEveryStageMoveWithWhoMovedItAndWhy() {
        portal.resetRequests();
        String html = given().contentType(ContentType.URLENC).body(FramePortal.cardForm(FramePortal.MANAGER_TOKEN, dealId))
                .post("/ui/card" + FramePortal.query("acme.bitrix24.ru", "ru")).then().statusCode(200).extract().asString();

        String history = html.substring(html.indexOf("id=\"history\""), html.indexOf("</table>", html.indexOf("id=\"history\"")));
        assertThat(row(history, "Вход в стадию «C3:NEW»")).contains("Сервис (приём претензий)", "создана",
                "в стадии 5 ч 0 мин");
        assertThat(row(history, "«C3:NEW» → «C3:REVIEW»")).contains("Мария Иванова", "стадия", "в стадии 19 ч 0 мин");
        assertThat(row(history, "«C3:REVIEW» → «C3:DECISION»")).contains("Сервис",
                "правило процесса: when all tasks of the stage are completed");
        assertThat(row(history, "«C3:DECISION» → «C3:REVIEW»")).contains("1С", "статус 1С «На рассмотрении»");
        assertThat(row(history, "«C3:REVIEW» → «C3:PREPARATION»")).contains(
                "возврат: не заполнены обязательные поля: Контакт", "в стадии сейчас");
        // questions and their answers, tasks and the e-mail in the same timeline, oldest first
        assertThat(history).contains("Вопрос коллеге Олег Смирнов: «Какой момент затяжки сальника?»",
                "Получен ответ от Олег Смирнов: «25 Н·м по паспорту»", "Поставлена задача «Проверить комплектность»",
                "Письмо дилеру: одобрено");
        assertThat(history.indexOf("Вход в стадию «C3:NEW»")).isLessThan(history.indexOf("«C3:NEW» → «C3:REVIEW»"));
        // still one portal call for the opening: the timeline comes from the service's tables
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/batch")));
        portal.verify(1, postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/rest/.*")));
    }

    /**
     * The manager's card batch answered with the names of pipeline 3's stages, as crm.status.list gives them
     * (crm/status/crm-status-list.md: ID, ENTITY_ID, STATUS_ID, NAME, SORT, SYSTEM, CATEGORY_ID as strings);
     * C3:DECISION is left unnamed. Matched only when the card asks for them (ENTITY_ID DEAL_STAGE_3).
     */
    static StubMapping stubStageNames(WireMockServer portal, long dealId) {
        String stages = "[{\"ID\":\"101\",\"ENTITY_ID\":\"DEAL_STAGE_3\",\"STATUS_ID\":\"C3:NEW\",\"NAME\":\"Новая\","
                + "\"SORT\":\"10\",\"SYSTEM\":\"Y\",\"CATEGORY_ID\":\"3\"},"
                + "{\"ID\":\"102\",\"ENTITY_ID\":\"DEAL_STAGE_3\",\"STATUS_ID\":\"C3:REVIEW\",\"NAME\":\"На рассмотрении\","
                + "\"SORT\":\"20\",\"SYSTEM\":\"N\",\"CATEGORY_ID\":\"3\"}]";
        return portal.stubFor(FramePortal.userBatch(FramePortal.MANAGER_TOKEN).atPriority(1)
                .withRequestBody(matchingJsonPath("$.cmd.stages3", containing("DEAL_STAGE_3")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(FramePortal.batch(java.util.Map.of("me", FramePortal.me(7, "Мария", "Иванова"),
                                "admin", "false", "deal", FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION", 7),
                                "users", FramePortal.USERS, "rows", "[]", "stages3", stages), java.util.Map.of()))));
    }

    @Test
    void stagesWithoutATitleInTheProcessFileShowThePortalsNamesReadInTheSameCall() {
        StubMapping named = stubStageNames(portal, dealId);
        try {
            portal.resetRequests();
            String html = given().contentType(ContentType.URLENC).body(FramePortal.cardForm(FramePortal.MANAGER_TOKEN, dealId))
                    .post("/ui/card" + FramePortal.query("acme.bitrix24.ru", "ru")).then().statusCode(200).extract().asString();

            String history = html.substring(html.indexOf("id=\"history\""), html.indexOf("</table>", html.indexOf("id=\"history\"")));
            assertThat(history).contains("Вход в стадию «Новая»", "«Новая» → «На рассмотрении»")
                    // a stage the portal did not name keeps its id
                    .contains("«На рассмотрении» → «C3:DECISION»");
            portal.verify(1, postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/rest/.*")));
        } finally {
            portal.removeStub(named);
        }
    }

    private static String row(String table, String text) {
        int at = table.indexOf(text);
        assertThat(at).as("row with " + text).isPositive();
        return table.substring(table.lastIndexOf("<tr", at), table.indexOf("</tr>", at));
    }
}
