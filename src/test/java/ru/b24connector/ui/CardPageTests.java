package ru.b24connector.ui;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.OAuthModeProfile;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.ui.FramePortal.MANAGER_TOKEN;
import static ru.b24connector.ui.FramePortal.NO_ACCESS_TOKEN;
import static ru.b24connector.ui.FramePortal.SUPERVISOR_TOKEN;

/** The deal-card tab opened as the portal opens it, its refusals, and its actions. */
@QuarkusTest
@TestProfile(OAuthModeProfile.class)
class CardPageTests {

    /** What a browser sends: form fields in UTF-8. */
    static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";

    WireMockServer portal = PortalWireMock.server();

    @Inject
    PlacementGate gate;

    @Inject
    JobWorker worker;

    long dealId;

    @BeforeEach
    void installAndSeed() {
        gate.forget();
        FramePortal.install(portal);
        dealId = CardFixtures.newDealId();
        CardFixtures.story(dealId, false);
        FramePortal.stubUsers(portal, FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION", 7), "[]");
    }

    private Response open(String token, long deal) {
        return given().contentType(ContentType.URLENC).body(FramePortal.cardForm(token, deal))
                .post("/ui/card" + FramePortal.query("acme.bitrix24.ru", "ru"));
    }

    @Test
    void aGenuineOpeningShowsTheClaimsWholeStory() {
        Response page = open(MANAGER_TOKEN, dealId);

        page.then().statusCode(200).contentType(ContentType.HTML);
        String html = page.body().asString();
        assertThat(html).contains("ООО «Техноснаб»", "7707083893", "TS-" + dealId, "API дилера", "C3:PREPARATION",
                        "в стадии 2 д 2 ч", "Мария Иванова")
                .contains("Редуктор GBX-24", "GBX-24-0017731", "Течь из-под сальника", "Мотор MTR-7")
                .contains("Течь масла после 3 месяцев эксплуатации.", "Нужна ли экспертиза на месте?")
                // Q&A per item: who asked whom, the answer, or pending with the task's deadline
                .contains("Какой момент затяжки сальника?", "Мария Иванова → Олег Смирнов", "25 Н·м по паспорту")
                .contains("Есть ли фото шильдика?", "Ожидает ответа · срок")
                // tasks with escalation, mails with Message-ID, 1C entries, history
                .contains("Проверить комплектность", "уровень 1", "просрочена", "Запросить фото", "завершена")
                .contains("одобрено", "&lt;m" + dealId + "@b24-connector.test&gt;", "Претензия одобрена: замена по гарантии.")
                .contains("РК-000123", "WRITE", "Претензия принята от дилера: TS-" + dealId)
                .contains("/ui/photo/" + dealId + "/0/0?exp=")
                // the deal's title starts with the word already: not «Рекламация: Рекламация TS»
                .contains("<h1>Рекламация TS</h1>").doesNotContain("Рекламация: Рекламация");
        // one portal call for the opening: the user's batch to the installed endpoint
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/batch"))
                .withRequestBody(matchingJsonPath("$.auth", equalTo(MANAGER_TOKEN)))
                .withRequestBody(matchingJsonPath("$.cmd.deal", equalTo("crm.deal.get?id=" + dealId))));
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'self' https://acme.bitrix24.ru")
                .contains(portal.baseUrl());
        assertThat(page.header("X-Frame-Options")).isNull();
        assertThat(page.header("Set-Cookie")).contains("HttpOnly").contains("Secure").contains("SameSite=None");
    }

    @Test
    void theSameFrameOpenedAgainCostsNoPortalCall() {
        open(MANAGER_TOKEN, dealId).then().statusCode(200);
        open(MANAGER_TOKEN, dealId).then().statusCode(200);

        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/batch")));
    }

    @Test
    void englishPortalsGetEnglish() {
        String html = given().contentType(ContentType.URLENC).body(FramePortal.cardForm(MANAGER_TOKEN, dealId))
                .post("/ui/card" + FramePortal.query("acme.bitrix24.ru", "en")).then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("Reclamation", "Composition", "Ask a colleague", "Pending", "Dealer API");
    }

    @Test
    void dealerScriptShowsAsText() {
        long xssDeal = CardFixtures.newDealId();
        CardFixtures.story(xssDeal, true);
        FramePortal.stubUsers(portal, FramePortal.deal(xssDeal, "T", "C3:PREPARATION", 7), "[]");

        String html = open(MANAGER_TOKEN, xssDeal).then().statusCode(200).extract().asString();

        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
                .doesNotContain("<script>alert(1)").doesNotContain("<img src=x");
    }

    @Test
    void aForgedAuthIdIsRefusedWithNoData() {
        Response page = open("forged-token-000000000000000000", dealId);

        page.then().statusCode(401);
        assertNoData(page.body().asString());
    }

    @Test
    void aForeignMemberIdIsRefusedWithoutAskingThePortal() {
        Response page = given().contentType(ContentType.URLENC)
                .body(FramePortal.form(MANAGER_TOKEN, "CRM_DEAL_DETAIL_TAB", "{\"ID\":\"" + dealId + "\"}",
                        "ffffffffffffffffffffffffffffffff", PortalForms.APP_TOKEN))
                .post("/ui/card" + FramePortal.query("acme.bitrix24.ru", "ru"));

        page.then().statusCode(401);
        assertNoData(page.body().asString());
        portal.verify(0, postRequestedFor(urlPathEqualTo("/rest/batch")));
    }

    @Test
    void anotherApplicationTokenIsRefused() {
        given().contentType(ContentType.URLENC)
                .body(FramePortal.form(MANAGER_TOKEN, "CRM_DEAL_DETAIL_TAB", "{\"ID\":\"" + dealId + "\"}",
                        FramePortal.MEMBER, "someone-elses-app-token"))
                .post("/ui/card" + FramePortal.query("acme.bitrix24.ru", "ru")).then().statusCode(401);
        portal.verify(0, postRequestedFor(urlPathEqualTo("/rest/batch")));
    }

    @Test
    void aDomainPointingElsewhereIsNeverAsked() {
        // an attacker's server would vouch for its own token; the service asks the installed portal, which does not
        Response page = given().contentType(ContentType.URLENC).body(FramePortal.cardForm("attacker-token-0001", dealId))
                .post("/ui/card" + FramePortal.query("evil.example.org", "ru"));

        page.then().statusCode(401);
        assertNoData(page.body().asString());
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/batch"))
                .withRequestBody(matchingJsonPath("$.auth", equalTo("attacker-token-0001"))));
    }

    @Test
    void malformedPlacementOptionsAreRefusedWith400NamingTheFieldAndAskNothing() {
        // placement.md: PLACEMENT_OPTIONS is a JSON string, {"ID":"<deal id>"} for CRM_DEAL_DETAIL_TAB; a cut or
        // foreign value is bad input: a clear refusal and a log line, no portal call, no session
        try (ru.b24connector.testsupport.LogCapture logs = ru.b24connector.testsupport.LogCapture.start()) {
            for (String options : List.of("{\"ID\":\"" + dealId, "{\"ID\":\"abc\"}", "not json", "{\"ID\":\"-5\"}")) {
                Response page = given().contentType(ContentType.URLENC)
                        .body(FramePortal.form(MANAGER_TOKEN, "CRM_DEAL_DETAIL_TAB", options, FramePortal.MEMBER,
                                PortalForms.APP_TOKEN))
                        .post("/ui/card" + FramePortal.query("acme.bitrix24.ru", "ru"));

                page.then().statusCode(400);
                assertThat(page.body().asString()).contains("PLACEMENT_OPTIONS").doesNotContain("b24c_session");
            }
            assertThat(logs.lines()).filteredOn(l -> l.contains("PLACEMENT_OPTIONS")).hasSize(4);
        }
        portal.verify(0, postRequestedFor(urlPathEqualTo("/rest/batch")));
    }

    @Test
    void aUserWhoCannotOpenTheDealGets403AndNoData() {
        Response page = open(NO_ACCESS_TOKEN, dealId);

        page.then().statusCode(403);
        assertNoData(page.body().asString());
    }

    @Test
    void anActionWithoutTheCsrfTokenIsRefused() {
        Response opened = open(MANAGER_TOKEN, dealId);
        String session = field(opened.body().asString(), "b24c_session");

        given().contentType(FORM).formParam("b24c_session", session)
                .formParam("nonce", "n0nce-without-csrf-0001").formParam("askUser", "8")
                .formParam("question", "Что с сальником?")
                .post("/ui/card/" + dealId + "/ask").then().statusCode(403);

        assertThat(count("SELECT COUNT(*) FROM ui_action WHERE deal_id = " + dealId)).isZero();
        assertThat(count("SELECT COUNT(*) FROM job WHERE dedup_key = 'ui:n0nce-without-csrf-0001'")).isZero();
    }

    @Test
    void frameTokensAndSessionsNeverReachTheLog() {
        try (ru.b24connector.testsupport.LogCapture logs = ru.b24connector.testsupport.LogCapture.start()) {
            String html = open(MANAGER_TOKEN, dealId).then().statusCode(200).extract().asString();
            open("forged-token-000000000000000000", dealId).then().statusCode(401);
            open(NO_ACCESS_TOKEN, dealId).then().statusCode(403);
            String session = field(html, "b24c_session");
            String csrf = field(html, "csrf");

            assertThat(String.join("\n", logs.lines())).doesNotContain(MANAGER_TOKEN, NO_ACCESS_TOKEN,
                    "forged-token-000000000000000000", "8c3b99refresh", session, csrf);
        }
    }

    @Test
    void anActionWithoutASessionIsRefused() {
        given().contentType(FORM).formParam("csrf", "x").formParam("nonce", "n0nce-without-session-1")
                .formParam("askUser", "8").formParam("question", "?")
                .post("/ui/card/" + dealId + "/ask").then().statusCode(401);
    }

    @Test
    void askingAColleagueSendsOnceAndShowsThePendingQuestion() {
        portal.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/rest/tasks.task.add"))
                .willReturn(ok("{\"task\":{\"id\":\"" + (dealId + 1) + "\",\"title\":\"Вопрос\"}}")));
        String html = open(MANAGER_TOKEN, dealId).body().asString();
        String session = field(html, "b24c_session");
        String csrf = field(html, "csrf");
        String nonce = fieldAfter(html, "ask-form", "nonce");

        for (int click = 0; click < 2; click++) { // the same form submitted twice
            String after = given().contentType(FORM).formParam("b24c_session", session)
                    .formParam("csrf", csrf).formParam("nonce", nonce).formParam("item", "1").formParam("askUser", "8")
                    .formParam("question", "Пришлите видео запуска")
                    .post("/ui/card/" + dealId + "/ask").then().statusCode(200).extract().asString();
            assertThat(after).contains("Вопрос отправлен", "Пришлите видео запуска", "Ожидает ответа");
        }
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/tasks.task.add"))
                .withRequestBody(matchingJsonPath("$.fields.RESPONSIBLE_ID", equalTo("8")))
                .withRequestBody(matchingJsonPath("$.fields.CREATED_BY", equalTo("7"))));
        assertThat(count("SELECT COUNT(*) FROM ui_action WHERE deal_id = " + dealId
                + " AND action = 'ASK' AND status = 'DONE' AND user_id = 7")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM robot_wait WHERE deal_id = " + dealId
                + " AND question = 'Пришлите видео запуска' AND asked_by = 7 AND item_index = 1")).isEqualTo(1);
        String card = given().cookie(UiSessions.NAME, session).get("/ui/card/" + dealId).then().statusCode(200)
                .extract().asString();
        assertThat(card).contains("Пришлите видео запуска", "Мария Иванова → Олег Смирнов");
    }

    @Test
    void resendAsksForConfirmationAndRecordsWhoDidIt() {
        String html = open(MANAGER_TOKEN, dealId).body().asString();
        String session = field(html, "b24c_session");
        String csrf = field(html, "csrf");
        String nonce = fieldAfter(html, "resend-form", "nonce");

        given().contentType(FORM).formParam("b24c_session", session).formParam("csrf", csrf)
                .formParam("nonce", nonce).post("/ui/card/" + dealId + "/resend").then().statusCode(400);
        given().contentType(FORM).formParam("b24c_session", session).formParam("csrf", csrf)
                .formParam("nonce", nonce).formParam("confirm", "yes")
                .post("/ui/card/" + dealId + "/resend").then().statusCode(200);
        worker.runDue();

        assertThat(count("SELECT COUNT(*) FROM ui_action WHERE deal_id = " + dealId
                + " AND action = 'RESEND' AND user_id = 7 AND user_name = 'Мария Иванова'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM mail_outbox WHERE deal_id = " + dealId
                + " AND dedup_key = 'ui:resend:" + nonce + "' AND decision = 'APPROVED'")).isEqualTo(1);
    }

    @Test
    void theBoardIsRefusedToAPlainManager() {
        Response page = given().contentType(ContentType.URLENC).body(FramePortal.boardForm(MANAGER_TOKEN))
                .post("/ui/board" + FramePortal.query("acme.bitrix24.ru", "ru"));

        page.then().statusCode(403);
        assertNoData(page.body().asString());
    }

    @Test
    void theBoardShowsOpenClaimsOverdueWorkAndStuckClaimsToASupervisor() {
        CardFixtures.waitingClaim("WAIT-" + dealId);
        FramePortal.stubUsers(portal, "{}", "[" + FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION", 7) + "]");

        String html = given().contentType(ContentType.URLENC).body(FramePortal.boardForm(SUPERVISOR_TOKEN))
                .post("/ui/board" + FramePortal.query("acme.bitrix24.ru", "ru")).then().statusCode(200)
                .extract().asString();

        assertThat(html).contains("Доска руководителя", "C3:PREPARATION", "Рекламация TS", "ООО «Техноснаб» (7707083893)")
                .contains("Мария Иванова", "Проверить комплектность", "уровень 1", "WAIT-" + dealId, "<svg");
        String session = field(html, "b24c_session");
        String filtered = given().contentType(FORM).formParam("b24c_session", session)
                .formParam("manager", "8").post("/ui/board/view").then().statusCode(200).extract().asString();
        assertThat(filtered).doesNotContain("Рекламация TS");
    }

    @Test
    void aSupervisorHandsAClaimOverFromTheBoardOnce() {
        FramePortal.stubUsers(portal, "{}", "[" + FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION", 7) + "]");
        portal.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/rest/crm.deal.get"))
                .willReturn(ok(FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION", 7))));
        portal.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/rest/batch"))
                .withRequestBody(matchingJsonPath("$.auth", equalTo("service-access"))).atPriority(1)
                .willReturn(ru.b24connector.testsupport.PortalStubs.json(200, FramePortal.batch(java.util.Map.of(
                        "deal", "true", "notifyNew", "1"), java.util.Map.of()))));
        String html = given().contentType(ContentType.URLENC).body(FramePortal.boardForm(SUPERVISOR_TOKEN))
                .post("/ui/board" + FramePortal.query("acme.bitrix24.ru", "ru")).then().statusCode(200)
                .extract().asString();
        String row = html.substring(html.indexOf("data-deal=\"" + dealId + "\""));

        for (int click = 0; click < 2; click++) {
            given().contentType(FORM).formParam("b24c_session", field(html, "b24c_session"))
                    .formParam("csrf", field(html, "csrf")).formParam("nonce", field(row, "nonce"))
                    .formParam("dealId", String.valueOf(dealId)).formParam("newResponsible", "8")
                    .post("/ui/board/reassign").then().statusCode(200);
        }
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/batch"))
                .withRequestBody(matchingJsonPath("$.auth", equalTo("service-access")))
                .withRequestBody(matchingJsonPath("$.cmd.deal", com.github.tomakehurst.wiremock.client.WireMock
                        .containing("fields[ASSIGNED_BY_ID]=8"))));
        assertThat(count("SELECT COUNT(*) FROM ui_action WHERE deal_id = " + dealId
                + " AND action = 'REASSIGN' AND user_id = 9 AND status = 'DONE'")).isEqualTo(1);
    }

    @Test
    void theAdminPageShowsTheCardWithTheAdminTokenOnly() {
        given().get("/admin/ui/deals/" + dealId).then().statusCode(401);
        portal.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/rest/batch"))
                .withRequestBody(matchingJsonPath("$.auth", equalTo("service-access"))).atPriority(1)
                .willReturn(ru.b24connector.testsupport.PortalStubs.json(200, FramePortal.batch(java.util.Map.of(
                        "deal", FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION", 7), "users", FramePortal.USERS,
                        "rows", "[]"), java.util.Map.of()))));

        String html = given().header("Authorization", "Bearer test-admin-token").get("/admin/ui/deals/" + dealId)
                .then().statusCode(200).extract().asString();

        assertThat(html).contains("Редуктор GBX-24", "Проверить комплектность").doesNotContain("ask-form");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("user.get pages by 50 (user/user-get.md): the card reads its users by id, and a"
            + " colleague beyond the first page is found by name (FILTER[NAME_SEARCH]) and asked")
    void aColleagueBeyondTheFirstPageIsFoundByNameAndAsked() {
        String html = open(MANAGER_TOKEN, dealId).body().asString();
        // the choice starts with «choose…» and lists the card's people, not a page of the portal's users
        assertThat(html).contains("<option value=\"\">выберите…</option>", "<option value=\"8\">Олег Смирнов</option>")
                .doesNotContain("Номер100");
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/batch"))
                .withRequestBody(matchingJsonPath("$.cmd.users", com.github.tomakehurst.wiremock.client.WireMock
                        .containing("FILTER[ID][0]=$result[deal][ASSIGNED_BY_ID]"))));
        String session = field(html, "b24c_session");

        String found = given().contentType(FORM).formParam("b24c_session", session).formParam("who", "Смирн")
                .post("/ui/card/" + dealId + "/find").then().statusCode(200).extract().asString();

        assertThat(found).contains("<option value=\"" + FramePortal.FAR_COLLEAGUE + "\">Пётр Смирнов</option>",
                "<option value=\"8\">Олег Смирнов</option>", "Найдено: 2").doesNotContain("Номер100");
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/user.get"))
                .withRequestBody(matchingJsonPath("$.FILTER.NAME_SEARCH", equalTo("Смирн")))
                .withRequestBody(matchingJsonPath("$.FILTER.ACTIVE", equalTo("true"))));
        given().contentType(FORM).formParam("b24c_session", session).formParam("csrf", field(found, "csrf"))
                .formParam("nonce", fieldAfter(found, "ask-form", "nonce")).formParam("askUser", "180")
                .formParam("question", "Кто поставщик сальника?")
                .post("/ui/card/" + dealId + "/ask").then().statusCode(200);
        assertThat(count("SELECT COUNT(*) FROM ui_action WHERE deal_id = " + dealId
                + " AND action = 'ASK' AND params LIKE '%\"askUser\":180%'")).isEqualTo(1);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("Hand-over and ask refuse «choose…», a dismissed user and an unknown id with a"
            + " message (400) and change nothing, on the card and on the board")
    void anEmptyOrUnknownColleagueIsRefusedWithAMessageAndChangesNothing() {
        String html = open(MANAGER_TOKEN, dealId).body().asString();
        String session = field(html, "b24c_session");
        String csrf = field(html, "csrf");

        String empty = given().contentType(FORM).formParam("b24c_session", session).formParam("csrf", csrf)
                .formParam("nonce", fieldAfter(html, "reassign-form", "nonce")).formParam("newResponsible", "")
                .post("/ui/card/" + dealId + "/reassign").then().statusCode(400).extract().asString();
        assertThat(empty).contains("id=\"choice-error\"", "Выберите сотрудника", "Ничего не изменено", "Редуктор GBX-24");
        String dismissed = given().contentType(FORM).formParam("b24c_session", session).formParam("csrf", csrf)
                .formParam("nonce", fieldAfter(html, "reassign-form", "nonce"))
                .formParam("newResponsible", String.valueOf(FramePortal.DISMISSED))
                .post("/ui/card/" + dealId + "/reassign").then().statusCode(400).extract().asString();
        assertThat(dismissed).contains("Сотрудник #190 не найден среди активных пользователей портала");
        given().contentType(FORM).formParam("b24c_session", session).formParam("csrf", csrf)
                .formParam("nonce", fieldAfter(html, "ask-form", "nonce")).formParam("askUser", "99999")
                .formParam("question", "?").post("/ui/card/" + dealId + "/ask").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("#99999 не найден"));

        FramePortal.stubUsers(portal, "{}", "[" + FramePortal.deal(dealId, "Рекламация TS", "C3:PREPARATION",
                FramePortal.FAR_COLLEAGUE) + "]");
        String board = given().contentType(ContentType.URLENC).body(FramePortal.boardForm(SUPERVISOR_TOKEN))
                .post("/ui/board" + FramePortal.query("acme.bitrix24.ru", "ru")).then().statusCode(200)
                .extract().asString();
        // a manager beyond the first page of users is named, not shown as #180
        assertThat(board).contains("Пётр Смирнов").doesNotContain("#180");
        String row = board.substring(board.indexOf("data-deal=\"" + dealId + "\""));
        assertThat(row).contains("<option value=\"\">выберите…</option>");
        String refused = given().contentType(FORM).formParam("b24c_session", field(board, "b24c_session"))
                .formParam("csrf", field(board, "csrf")).formParam("nonce", field(row, "nonce"))
                .formParam("dealId", String.valueOf(dealId)).formParam("newResponsible", "")
                .post("/ui/board/reassign").then().statusCode(400).extract().asString();
        assertThat(refused).contains("Выберите сотрудника", "Доска руководителя");
        String searched = given().contentType(FORM).formParam("b24c_session", field(board, "b24c_session"))
                .formParam("who", "Кузн").post("/ui/board/view").then().statusCode(200).extract().asString();
        assertThat(searched.substring(searched.indexOf("data-deal=\"" + dealId + "\"")))
                .contains("<option value=\"9\">Анна Кузнецова</option>").doesNotContain("Пётр Смирнов</option>");

        worker.runDue();
        assertThat(count("SELECT COUNT(*) FROM ui_action WHERE deal_id = " + dealId)).isZero();
    }

    private static void assertNoData(String body) {
        assertThat(body).doesNotContain("Техноснаб", "Редуктор", "Проверить комплектность", "b24c_session");
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("field " + name).isTrue();
        return m.group(1);
    }

    static String fieldAfter(String html, String formId, String name) {
        return field(html.substring(html.indexOf("id=\"" + formId + "\"")), name);
    }

    private static long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Arc.container().instance(EntityManager.class).get()
                .createNativeQuery(sql).getSingleResult()).longValue());
    }
}
