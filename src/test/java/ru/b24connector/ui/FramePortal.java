package ru.b24connector.ui;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import ru.b24connector.testsupport.PortalForms;

import io.quarkus.arc.Arc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.json;

/**
 * The portal's side of a frame opening: the POST it sends to a placement handler (reference/bitrix24-placements.md §2)
 * and its answers to the batch the service sends with the user's own token (§4 batch shape of bitrix24-rest.md).
 */
final class FramePortal {

    static final String MEMBER = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    static final String MANAGER_TOKEN = "9d4c71manager0000000000000000001";
    static final String SUPERVISOR_TOKEN = "9d4c71supervisor00000000000000002";
    static final String NO_ACCESS_TOKEN = "9d4c71noaccess000000000000000003";

    static final String USERS = "[{\"ID\":\"7\",\"ACTIVE\":true,\"NAME\":\"Мария\",\"LAST_NAME\":\"Иванова\"},"
            + "{\"ID\":\"8\",\"ACTIVE\":true,\"NAME\":\"Олег\",\"LAST_NAME\":\"Смирнов\"},"
            + "{\"ID\":\"9\",\"ACTIVE\":true,\"NAME\":\"Анна\",\"LAST_NAME\":\"Кузнецова\"}]";

    /** A colleague far beyond the first page of 50 users (the portal has 130 more). */
    static final long FAR_COLLEAGUE = 180;
    /** A dismissed user (ACTIVE false). */
    static final long DISMISSED = 190;

    private FramePortal() {
    }

    /** Installs the local application on the portal stand-in (its REST endpoint is the stand-in), on a clean slate. */
    static void install(WireMockServer portal) {
        portal.resetAll();
        ru.b24connector.testsupport.CleanSlate.reset();
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.URLENC)
                .body(PortalForms.event("ONAPPINSTALL", 0).put("auth[access_token]", "service-access")
                        .put("auth[refresh_token]", "service-refresh")
                        .put("auth[client_endpoint]", portal.baseUrl() + "/rest/")
                        .put("auth[server_endpoint]", portal.baseUrl() + "/rest/").asForm())
                .post("/b24/install").then().statusCode(200);
        ru.b24connector.testsupport.CleanSlate.reset(); // the registration job the install queued is not under test
        seedUsers(portal);
    }

    /**
     * The portal's users behind {@code user.get} with the service's token (pages of 50, FILTER by ID and
     * NAME_SEARCH, as user/user-get.md shows): the three of the stubbed batches and 130 more.
     */
    static void seedUsers(WireMockServer portal) {
        ru.b24connector.testsupport.FakeCrm.users.clear();
        ru.b24connector.testsupport.FakeCrm.user(7, "Мария", "Иванова", true);
        ru.b24connector.testsupport.FakeCrm.user(8, "Олег", "Смирнов", true);
        ru.b24connector.testsupport.FakeCrm.user(9, "Анна", "Кузнецова", true);
        for (long id = 100; id < 230; id++) {
            ru.b24connector.testsupport.FakeCrm.user(id, "Сотрудник", "Номер" + id, true);
        }
        ru.b24connector.testsupport.FakeCrm.user(FAR_COLLEAGUE, "Пётр", "Смирнов", true);
        ru.b24connector.testsupport.FakeCrm.user(DISMISSED, "Иван", "Уволенный", false);
        portal.stubFor(post(urlPathEqualTo("/rest/user.get"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withTransformers(ru.b24connector.testsupport.FakeCrm.NAME)));
        Arc.container().instance(PortalUsers.class).get().forget();
    }

    /** The form the portal posts when a user opens the deal tab. */
    static String cardForm(String authId, long dealId) {
        return form(authId, "CRM_DEAL_DETAIL_TAB", "{\"ID\":\"" + dealId + "\",\"URI\":\"/crm/deal/details/" + dealId + "/\"}",
                MEMBER, PortalForms.APP_TOKEN);
    }

    static String boardForm(String authId) {
        return form(authId, "LEFT_MENU", "{\"URI\":\"/marketplace/app/1/\"}", MEMBER, PortalForms.APP_TOKEN);
    }

    static String form(String authId, String placement, String options, String member, String appToken) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("AUTH_ID", authId);
        f.put("AUTH_EXPIRES", "3600");
        f.put("REFRESH_ID", "8c3b99refresh");
        f.put("SERVER_ENDPOINT", "https://oauth.bitrix24.tech/rest/");
        if (appToken != null) {
            f.put("APPLICATION_TOKEN", appToken);
        }
        f.put("APPLICATION_SCOPE", "crm,placement,user,department,task");
        f.put("member_id", member);
        f.put("status", "L");
        f.put("PLACEMENT", placement);
        f.put("PLACEMENT_OPTIONS", options);
        StringJoiner out = new StringJoiner("&");
        f.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    /** The query string the portal puts on the handler URL. */
    static String query(String domain, String lang) {
        return "?DOMAIN=" + domain + "&PROTOCOL=1&LANG=" + lang + "&APP_SID=5552d7" + System.nanoTime();
    }

    static MappingBuilder userBatch(String token) {
        return post(urlPathEqualTo("/rest/batch")).withRequestBody(matchingJsonPath("$.auth", equalTo(token)));
    }

    /**
     * Answers for the user tokens: a manager (user 7) who may open the deal, a supervisor (user 9, administrator), a
     * manager without access to the deal (user 8); any other token is unknown to the portal (401 NO_AUTH_FOUND).
     */
    static void stubUsers(WireMockServer portal, String dealJson, String boardDealsJson) {
        portal.stubFor(post(urlPathEqualTo("/rest/batch")).atPriority(9)
                .willReturn(error(401, "NO_AUTH_FOUND", "Wrong authorization data")));
        portal.stubFor(userBatch(MANAGER_TOKEN).withRequestBody(matchingJsonPath("$.cmd.deal")).atPriority(1)
                .willReturn(json(200, batch(Map.of("me", me(7, "Мария", "Иванова"), "admin", "false", "deal", dealJson,
                        "users", USERS, "rows", "[]"), Map.of()))));
        portal.stubFor(userBatch(MANAGER_TOKEN).withRequestBody(matchingJsonPath("$.cmd.heads")).atPriority(1)
                .willReturn(json(200, batch(Map.of("me", me(7, "Мария", "Иванова"), "admin", "false", "heads", "[]",
                        "users", USERS, "deals0", boardDealsJson, "deals1", "[]", "deals2", "[]", "deals3", "[]"), Map.of()))));
        portal.stubFor(userBatch(NO_ACCESS_TOKEN).atPriority(1)
                .willReturn(json(200, batch(Map.of("me", me(8, "Олег", "Смирнов"), "admin", "false", "users", USERS,
                        "rows", "[]"), Map.of("deal", "{\"error\":\"\",\"error_description\":\"Access denied\"}")))));
        portal.stubFor(userBatch(SUPERVISOR_TOKEN).withRequestBody(matchingJsonPath("$.cmd.heads")).atPriority(1)
                .willReturn(json(200, batch(Map.of("me", me(9, "Анна", "Кузнецова"), "admin", "true",
                        "heads", "[{\"ID\":\"3\",\"NAME\":\"Сервис\",\"UF_HEAD\":\"9\"}]", "users", USERS,
                        "deals0", boardDealsJson, "deals1", "[]", "deals2", "[]", "deals3", "[]",
                        "stages3", "[{\"STATUS_ID\":\"C3:NEW\",\"NAME\":\"Новая\",\"SORT\":\"10\"},"
                                + "{\"STATUS_ID\":\"C3:PREPARATION\",\"NAME\":\"Проверка\",\"SORT\":\"20\"}]"), Map.of()))));
    }

    static String deal(long id, String title, String stage, long assigned) {
        return "{\"ID\":\"" + id + "\",\"TITLE\":\"" + title + "\",\"CATEGORY_ID\":\"3\",\"STAGE_ID\":\"" + stage
                + "\",\"STAGE_SEMANTIC_ID\":\"P\",\"ASSIGNED_BY_ID\":\"" + assigned + "\",\"COMPANY_ID\":\"45\","
                + "\"DATE_CREATE\":\"2026-01-01T09:12:00+03:00\",\"OPENED\":\"Y\",\"CLOSED\":\"N\"}";
    }

    static String me(long id, String name, String last) {
        return "{\"ID\":\"" + id + "\",\"ACTIVE\":true,\"NAME\":\"" + name + "\",\"LAST_NAME\":\"" + last
                + "\",\"EMAIL\":\"u" + id + "@acme.ru\",\"UF_DEPARTMENT\":[3]}";
    }

    /** A batch answer: {@code result.result}, {@code result.result_error}, empty totals, {@code time}. */
    static String batch(Map<String, String> results, Map<String, String> errors) {
        StringJoiner ok = new StringJoiner(",", "{", "}");
        results.forEach((k, v) -> ok.add("\"" + k + "\":" + v));
        StringJoiner failed = new StringJoiner(",", "{", "}");
        errors.forEach((k, v) -> failed.add("\"" + k + "\":" + v));
        double now = System.currentTimeMillis() / 1000.0;
        return "{\"result\":{\"result\":" + ok + ",\"result_error\":" + (errors.isEmpty() ? "[]" : failed.toString())
                + ",\"result_total\":[],\"result_next\":[],\"result_time\":[]},\"time\":{\"start\":" + now
                + ",\"finish\":" + (now + 0.1) + ",\"duration\":0.1,\"processing\":0.08,"
                + "\"date_start\":\"2026-01-01T10:00:00+03:00\",\"date_finish\":\"2026-01-01T10:00:00+03:00\"}}";
    }
}
