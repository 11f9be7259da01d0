package ru.b24connector.testsupport;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** Portal answers shaped as reference/bitrix24-rest.md documents them. */
public final class PortalStubs {

    private PortalStubs() {
    }

    /** {@code POST <webhook>/<method>}. */
    public static MappingBuilder portalCall(String method) {
        return post(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + method));
    }

    /** {@code {"result": <resultJson>, "time": {...}}}. */
    public static ResponseDefinitionBuilder ok(String resultJson) {
        return okWithTime(resultJson, 0, System.currentTimeMillis() / 1000 + 600);
    }

    public static ResponseDefinitionBuilder okWithTime(String resultJson, double operating, long resetAt) {
        return json(200, "{\"result\":" + resultJson + "," + time(operating, resetAt) + "}");
    }

    /** A list page: {@code {"result":[...],"total":N,"next":N,"time":{...}}}. */
    public static ResponseDefinitionBuilder page(String rowsJson, int total, Integer next) {
        return json(200, "{\"result\":" + rowsJson + ",\"total\":" + total
                + (next == null ? "" : ",\"next\":" + next) + "," + time(0, System.currentTimeMillis() / 1000 + 600) + "}");
    }

    public static ResponseDefinitionBuilder error(int status, String code, String description) {
        return json(status, "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}");
    }

    public static ResponseDefinitionBuilder queryLimitExceeded() {
        return error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body);
    }

    /** A captured payload from src/test/resources. */
    public static String fixture(String path) {
        try (InputStream in = PortalStubs.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String time(double operating, long resetAt) {
        double now = System.currentTimeMillis() / 1000.0;
        return "\"time\":{\"start\":" + now + ",\"finish\":" + (now + 0.05) + ",\"duration\":0.05,\"processing\":0.03,"
                + "\"date_start\":\"2026-01-01T10:00:00+03:00\",\"date_finish\":\"2026-01-01T10:00:00+03:00\","
                + "\"operating_reset_at\":" + resetAt + ",\"operating\":" + operating + "}";
    }
}
