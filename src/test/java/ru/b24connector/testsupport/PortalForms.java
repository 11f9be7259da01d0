package ru.b24connector.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Form bodies as the portal posts them (reference §12.1, §12.2), URL-encoded with PHP-style keys. */
public final class PortalForms {

    /** The application token the tests configure (B24_APPLICATION_TOKEN). */
    public static final String APP_TOKEN = "5d41402abc4b2a76b9719d911017c592";

    private final Map<String, String> fields = new LinkedHashMap<>();

    private PortalForms() {
    }

    public static PortalForms event(String event, long entityId) {
        PortalForms form = new PortalForms();
        form.put("event", event).put("event_handler_id", "201");
        if (event.startsWith("ONTASK")) {
            form.put("data[FIELDS_BEFORE][ID]", String.valueOf(entityId)).put("data[FIELDS_AFTER][ID]", String.valueOf(entityId));
        } else {
            form.put("data[FIELDS][ID]", String.valueOf(entityId));
        }
        return form.put("ts", String.valueOf(System.currentTimeMillis() / 1000)).auth(APP_TOKEN);
    }

    public static PortalForms robot(String code, long dealId, String eventToken) {
        PortalForms form = new PortalForms();
        form.put("workflow_id", "6789abcd0123ef45.12345678").put("code", code)
                .put("document_id[0]", "crm").put("document_id[1]", "CCrmDocumentDeal")
                .put("document_id[2]", "DEAL_" + dealId)
                .put("document_type[0]", "crm").put("document_type[1]", "CCrmDocumentDeal")
                .put("document_type[2]", "DEAL")
                .put("event_token", eventToken).put("use_subscription", "Y").put("timeout_duration", "86400")
                .put("ts", String.valueOf(System.currentTimeMillis() / 1000));
        return form.auth(APP_TOKEN).put("auth[user_id]", "1").put("auth[refresh_token]", "");
    }

    public PortalForms auth(String applicationToken) {
        put("auth[access_token]", "a1b2c3d4e5f60708a1b2c3d4e5f60708");
        put("auth[expires]", String.valueOf(System.currentTimeMillis() / 1000 + 3600));
        put("auth[expires_in]", "3600");
        put("auth[scope]", "crm,bizproc,task,im,user,department");
        put("auth[domain]", "acme.bitrix24.ru");
        put("auth[server_endpoint]", "https://oauth.bitrix.info/rest/");
        put("auth[status]", "L");
        put("auth[client_endpoint]", "https://acme.bitrix24.ru/rest/");
        put("auth[member_id]", "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        if (applicationToken == null) {
            fields.remove("auth[application_token]");
        } else {
            put("auth[application_token]", applicationToken);
        }
        return this;
    }

    public PortalForms property(String name, String value) {
        return put("properties[" + name + "]", value);
    }

    public PortalForms put(String key, String value) {
        fields.put(key, value);
        return this;
    }

    public PortalForms without(String key) {
        fields.remove(key);
        return this;
    }

    public String asForm() {
        StringJoiner out = new StringJoiner("&");
        fields.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }
}
