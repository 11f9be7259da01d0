package ru.b24connector.ui;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.analytics.ClaimFacts;
import ru.b24connector.testsupport.OAuthModeProfile;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.json;

/**
 * The board's analytics as a supervisor opens them: each table over the chosen period, the stuck claims first, the
 * SVG charts, the CSV exports (UTF-8 with BOM, RFC 4180 quoting), and one portal call per opening. Figures are those
 * of {@link AnalyticsFixtures}, worked out by hand.
 */
@QuarkusTest
@TestProfile(OAuthModeProfile.class)
class BoardAnalyticsTests {

    static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";

    WireMockServer portal = PortalWireMock.server();

    @Inject
    PlacementGate gate;

    @Inject
    ClaimFacts facts;

    long base;

    @BeforeEach
    void seed() {
        gate.forget();
        FramePortal.install(portal);
        AnalyticsFixtures.reset();
        base = CardFixtures.newDealId() * 10;
        AnalyticsFixtures.seed(base, Instant.now());
        stubSupervisor(portal);
    }

    /**
     * The supervisor's board read (the batch with the user's token): the pipeline's stages, no open deals; the
     * managers' names are read by id with user.get (FakeCrm's users, user/user-get.md shape).
     */
    static void stubSupervisor(WireMockServer portal) {
        FramePortal.stubUsers(portal, "{}", "[]");
        AnalyticsFixtures.seedManagers();
        portal.stubFor(FramePortal.userBatch(FramePortal.SUPERVISOR_TOKEN).atPriority(1)
                .willReturn(json(200, FramePortal.batch(Map.of("me", FramePortal.me(9, "Анна", "Кузнецова"),
                        "admin", "true", "heads", "[]", "deals0", "[]",
                        "deals1", "[]", "deals2", "[]", "deals3", "[]", "stages3",
                        "[{\"STATUS_ID\":\"C3:NEW\",\"NAME\":\"Новая\"},{\"STATUS_ID\":\"C3:PREPARATION\",\"NAME\":\"Проверка\"},"
                                + "{\"STATUS_ID\":\"C3:DECISION\",\"NAME\":\"Решение\"},{\"STATUS_ID\":\"C3:WON\",\"NAME\":\"Одобрена\"},"
                                + "{\"STATUS_ID\":\"C3:LOSE\",\"NAME\":\"Отклонена\"}]"), Map.of()))));
    }

    private String openBoard() {
        return given().contentType(ContentType.URLENC).body(FramePortal.boardForm(FramePortal.SUPERVISOR_TOKEN))
                .post("/ui/board" + FramePortal.query("acme.bitrix24.ru", "ru")).then().statusCode(200)
                .extract().asString();
    }

    private String period(String html, String days) {
        return given().contentType(FORM).formParam("b24c_session", field(html, "b24c_session"))
                .formParam("days", days).post("/ui/board/view").then().statusCode(200).extract().asString();
    }

    @Test
    void theStuckClaimsComeFirstWithTheirStagesUsualTime() {
        portal.resetRequests();
        String html = openBoard();

        String analytics = html.substring(html.indexOf("id=\"analytics\""));
        assertThat(analytics.indexOf("id=\"t-stuck\"")).isLessThan(analytics.indexOf("id=\"t-stages\""));
        String stuck = table(html, "t-stuck");
        // D: in review 20 days; the stage's p90 over 30 days of 1, 3 and 5 days is 4.6 days
        assertThat(stuck).contains("#" + (base + 4), "Проверка", "Павел Орлов", "Север, Запад", "19 д 22 ч",
                "4 д 14 ч", "90-й процентиль стадии");
        // E is 1 h in NEW, under that stage's p90 (5.4 h)
        assertThat(stuck).doesNotContain("#" + (base + 5));
        // the board's opening made its one portal call, the analytics none
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/batch")));
    }

    @Test
    void timeInStagesShowsMedianAndP90WithTheSlowestMarked() {
        String html = openBoard();

        String stages = table(html, "t-stages");
        assertThat(row(stages, "Проверка")).contains("slowest", "▲", "3", "3 д 0 ч", "4 д 14 ч");
        assertThat(row(stages, "Новая")).contains("4", "3 ч 0 мин", "5 ч 24 мин").doesNotContain("▲");
        assertThat(row(stages, "Решение")).contains("1 д 0 ч", "1 д 19 ч");
        // the chart beside it: one bar pair per stage, the numbers as text, the slowest marked in words
        assertThat(html).contains("<svg", "Медиана 3 д 0 ч · 90-й процентиль 4 д 14 ч — самая медленная");

        // a year: F's 30 days in review join (median of 1, 3, 5, 30 days is 4 days)
        assertThat(row(table(period(html, "365"), "t-stages"), "Проверка")).contains("4 д 0 ч");
        // a week: only A's review and decision ended in it
        String week = table(period(html, "7"), "t-stages");
        assertThat(row(week, "Проверка")).contains(">1<", "3 д 0 ч");
        assertThat(week).doesNotContain("Новая");
    }

    @Test
    void managersShowOpenClaimsOverdueTasksDecisionsAndMedianTimeToDecision() {
        String managers = table(openBoard(), "t-managers");

        assertThat(row(managers, "Ирина Соколова")).contains("<td>0</td><td>0</td><td>2</td><td>5 д 3 ч</td>");
        assertThat(row(managers, "Павел Орлов")).contains("<td>1</td><td>1</td><td>1</td><td>3 д 6 ч</td>");
        assertThat(row(managers, "Денис Волков")).contains("<td>1</td><td>0</td><td>0</td><td></td>");
    }

    @Test
    void dealersShowClaimsApprovalRateAndMedianTimeToDecision() {
        String dealers = table(openBoard(), "t-dealers");

        assertThat(row(dealers, "Техноснаб")).contains("7707083893", "<td>2</td><td>2</td><td>1</td><td>50.0 %</td>",
                "5 д 3 ч");
        assertThat(row(dealers, "Север, Запад")).contains("7728168971", "<td>2</td><td>1</td><td>1</td><td>100.0 %</td>",
                "3 д 6 ч");
        assertThat(row(dealers, "введены вручную")).contains("<td>1</td><td>0</td><td>0</td><td></td>");
    }

    @Test
    void defectsByProductAreAParetoOfClaimedItemsWithShares() {
        String html = openBoard();

        String products = table(html, "t-products");
        assertThat(row(products, "GBX-24")).contains("Редуктор GBX-24", "<td>4</td><td>2</td><td>57.1 %</td><td>57.1 %</td>");
        assertThat(row(products, "MTR-7")).contains("Мотор MTR-7, 2 кВт", "<td>3</td><td>2</td><td>42.9 %</td><td>100.0 %</td>");
        assertThat(products.indexOf("GBX-24")).isLessThan(products.indexOf("MTR-7"));
        assertThat(html).contains("7 всего единиц", "<polyline", "57%", "100%");
    }

    @Test
    void eachTableExportsAsCsvInUtf8WithBomAndQuoting() {
        portal.resetRequests();
        String html = openBoard();
        String session = field(html, "b24c_session");

        Response csv = given().contentType(FORM).formParam("b24c_session", session).formParam("table", "products")
                .formParam("days", "30").post("/ui/board/export");
        csv.then().statusCode(200).header("Content-Type", "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"board-products-30d.csv\"");
        byte[] bytes = csv.asByteArray();
        assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String text = new String(bytes, StandardCharsets.UTF_8).substring(1);
        assertThat(text).startsWith("№,Артикул,Товар,Заявлено единиц,Претензий,Доля,Накопленная доля\r\n")
                .contains("1,GBX-24,Редуктор GBX-24,4,2,57.1 %,57.1 %\r\n")
                .contains("2,MTR-7,\"Мотор MTR-7, 2 кВт\",3,2,42.9 %,100.0 %\r\n");

        for (String table : BoardAnalyticsPage.TABLES) {
            String body = new String(given().contentType(FORM).formParam("b24c_session", session)
                    .formParam("table", table).formParam("days", "90").post("/ui/board/export").then()
                    .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
            assertThat(body).startsWith("\uFEFF");
        }
        String dealers = new String(given().contentType(FORM).formParam("b24c_session", session)
                .formParam("table", "dealers").post("/ui/board/export").then().statusCode(200).extract()
                .asByteArray(), StandardCharsets.UTF_8);
        // a quote and a comma in the dealer's name: the cell is quoted and the quote doubled
        assertThat(dealers).contains("\"АО \"\"Север, Запад\"\"\",7728168971,2,1,1,100.0 %,3 д 6 ч\r\n");
        String stuck = new String(given().contentType(FORM).formParam("b24c_session", session)
                .formParam("table", "stuck").post("/ui/board/export").then().statusCode(200).extract()
                .asByteArray(), StandardCharsets.UTF_8);
        assertThat(stuck).contains((base + 4) + ",Проверка,Павел Орлов,");
        // still the one portal call of the opening
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/batch")));
    }

    @Test
    void anExportNeedsTheBoardsSessionAndAKnownTableAndPeriod() {
        String session = field(openBoard(), "b24c_session");

        given().contentType(FORM).formParam("table", "dealers").post("/ui/board/export").then().statusCode(401);
        given().contentType(FORM).formParam("b24c_session", session).formParam("table", "users")
                .post("/ui/board/export").then().statusCode(400);
        given().contentType(FORM).formParam("b24c_session", session).formParam("table", "dealers")
                .formParam("days", "14").post("/ui/board/export").then().statusCode(400);
        given().contentType(FORM).formParam("b24c_session", session).formParam("days", "31")
                .post("/ui/board/view").then().statusCode(400);
        // a script or a tool (curl's Accept: */*, no text/html) is told the field and the rule, as the JSON APIs do
        given().contentType(FORM).accept("*/*").formParam("b24c_session", session)
                .formParam("table", "dealers").formParam("days", "14").post("/ui/board/export").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("days"))
                .body("errors[0].rule", org.hamcrest.Matchers.containsString("one of [30, 7, 90, 365]"));
        // a browser gets the plain refused page
        given().contentType(FORM).accept("text/html,application/xhtml+xml,*/*;q=0.8").formParam("b24c_session", session)
                .formParam("days", "31").post("/ui/board/view").then().statusCode(400).contentType("text/html");
    }

    @Test
    void theRefreshFillsADealersClaimItemsAndDecisionFromTheServicesTables() {
        long dealId = CardFixtures.newDealId();
        CardFixtures.story(dealId, false); // the dealer's claim, its items and an approved decision e-mail
        AnalyticsFixtures.run(em -> AnalyticsFixtures.sql(em, "INSERT INTO claim_fact (deal_id, category_id, stage_id, "
                + "semantic, stage_entered_at, manager_id, received_at, updated_at) VALUES (?1, 3, 'C3:PREPARATION', 'P', "
                + "NOW(6), 21, NOW(6), NOW(6))", dealId));

        facts.refresh();

        String dealers = table(openBoard(), "t-dealers");
        assertThat(row(dealers, "Техноснаб")).contains("<td>3</td><td>3</td><td>2</td><td>66.7 %</td>");
        String products = table(period(openBoard(), "30"), "t-products");
        assertThat(row(products, "GBX-24")).contains("<td>5</td><td>3</td>");
    }

    private static String table(String html, String id) {
        int start = html.indexOf("id=\"" + id + "\"");
        assertThat(start).as("table " + id).isPositive();
        return html.substring(start, html.indexOf("</table>", start));
    }

    private static String row(String table, String text) {
        int at = table.indexOf(text);
        assertThat(at).as("row with " + text).isPositive();
        int start = table.lastIndexOf("<tr", at);
        return table.substring(start, table.indexOf("</tr>", at));
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("field " + name).isTrue();
        return m.group(1);
    }
}
