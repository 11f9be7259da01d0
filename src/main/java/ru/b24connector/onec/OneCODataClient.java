package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyDown;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 1C's standard OData interface (v3): JSON collections in the {@code odata.metadata}/{@code value} envelope,
 * Cyrillic entity set names percent-encoded as UTF-8, {@code $} options literal, HTTP Basic with UTF-8
 * credentials. The JDK's HTTP client is used because the URL must be built byte for byte (a templating client
 * would re-encode {@code $} and {@code '}); credentials never leave this class.
 */
@ApplicationScoped
public class OneCODataClient {

    /**
     * 1C could not answer now: no connection, a timeout, its session pool exhausted (406), its web server's 502/503/504
     * or a 5xx that is not one of 1C's own refusals. A job waits for 1C to come back, spending no attempt.
     */
    public static class Unavailable extends DependencyDown {
        Unavailable(String message, Throwable cause) {
            super(Dependency.ONEC, message, cause);
        }
    }

    /**
     * 1C refused the OData user's credentials (401 without 1C's access-rights code 20). Nothing is sent to 1C any
     * more until the settings change: retrying with the same login would only repeat the refusal (and may lock the
     * user out). Jobs wait meanwhile, as for an outage, so nothing is lost.
     */
    public static class BadCredentials extends Unavailable {
        BadCredentials(String message) {
            super(message, null);
        }
    }

    /** 1C refused the request (4xx, or a business refusal): retrying the same request will not help. */
    public static class Refused extends RuntimeException {
        private final int status;
        private final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        /** 1C's internal error code ({@code odata.error.code}, 17.4.10), or null. */
        public String code() {
            return code;
        }
    }

    /**
     * 1C refused the data itself: HTTP 500 with {@code odata.error.code} "-1" (a handler refused the write, a
     * change-prohibition date, a locked object, posting failed). It fails that record alone, with 1C's message.
     */
    public static class BusinessRefusal extends Refused {
        BusinessRefusal(int status, String message) {
            super(status, "-1", message);
        }
    }

    /** A 404 on an entity set: it is not in the published composition of the standard OData interface (17.4.12). */
    public static class NotPublished extends Refused {
        private final String entitySet;

        NotPublished(String entitySet, String code, String message) {
            super(404, code, message);
            this.entitySet = entitySet;
        }

        public String entitySet() {
            return entitySet;
        }
    }

    @Inject
    OneCConfig config;

    @Inject
    ObjectMapper json;

    /** Built at the first request: building one loads the JDK's trust store, which a start need not wait for. */
    private static final class Http {
        // HTTP/1.1 as 1C's web-server extension (Apache, IIS) serves it: no h2c upgrade on the first request
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public boolean configured() {
        return config.odataUrl().isPresent();
    }

    /**
     * One cheap request to the service root (the list of published sets): empty when 1C answers at all (a refusal is
     * an answer), else why not. Used only while jobs wait for 1C. While 1C's refusal of the credentials stands, it
     * reports that without asking 1C again.
     */
    public java.util.Optional<String> probe() {
        if (!configured()) {
            return java.util.Optional.empty();
        }
        try {
            send("GET", "", Map.of(), null);
        } catch (Unavailable e) {
            return java.util.Optional.of(e.getMessage());
        } catch (Refused answered) {
            // 1C is up; the job itself will meet the refusal and spend its attempts on it
        }
        return java.util.Optional.empty();
    }

    /**
     * The rows of one page of an entity set; {@code options} are system query options such as {@code $filter}.
     * Always with {@code allowedOnly=true} (17.4.5.4): rows the OData user may not see are left out instead of
     * failing the whole page (401, code 20).
     */
    public List<JsonNode> page(String entitySet, Map<String, String> options) {
        JsonNode body = send("GET", entitySet, allowedOnly(options), null);
        List<JsonNode> rows = new ArrayList<>();
        JsonNode value = body.path("value");
        if (!value.isArray()) {
            throw new Unavailable("1C answered " + entitySet + " without a value array", null);
        }
        value.forEach(rows::add);
        return rows;
    }

    /**
     * How many rows match: {@code <set>/$count} with a literal slash (17.4.6.1; an encoded {@code %2F} is refused with
     * 404 by Apache's default {@code AllowEncodedSlashes Off}); 1C answers a bare number. Null when it is not one.
     */
    public Long count(String entitySet, java.util.Optional<String> filter) {
        JsonNode body = send("GET", entitySet + "/$count", allowedOnly(filter.map(f -> Map.of("$filter", f)).orElse(Map.of())), null);
        return body.isNumber() || body.isTextual() && body.asText().matches("\\d+") ? body.asLong() : null;
    }

    /** One object by its Ref_Key, e.g. {@code Catalog_Номенклатура(guid'...')} ({@code allowedOnly} is for sets only). */
    public JsonNode object(String entitySet, String ref, Map<String, String> options) {
        return send("GET", entitySet + "(guid'" + ref + "')", options, null);
    }

    /** Changes attributes of one object ({@code PATCH}); 1C answers with the object as written. */
    public JsonNode patch(String entitySet, String ref, JsonNode attributes) {
        return send("PATCH", entitySet + "(guid'" + ref + "')", Map.of(), attributes);
    }

    /**
     * {@code POST <root>/<operation>?<options>} with an XML answer (an exchange plan's {@code SelectChanges} answers an
     * Atom feed, 17.4.13.3); returns the answer's text.
     */
    public String postForText(String operation, Map<String, String> options) {
        return sendRaw("POST", operation, options, null, "application/atom+xml, application/xml, */*", false);
    }

    /** The service's CSDL description ({@code $metadata}, 17.4.7), as XML text. */
    public String metadata() {
        return sendRaw("GET", "$metadata", Map.of(), null, "application/xml", false);
    }

    private static Map<String, String> allowedOnly(Map<String, String> options) {
        Map<String, String> with = new LinkedHashMap<>(options);
        with.put("allowedOnly", "true");
        return with;
    }

    private JsonNode send(String method, String resource, Map<String, String> options, JsonNode body) {
        String text = sendRaw(method, resource, options, body, "application/json", true);
        try {
            return text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            throw new Unavailable("1C answered " + method + " " + resource
                    + " with something that is not JSON (is $format=json supported?)", e);
        }
    }

    /** The credentials 1C refused (401), while they are still the configured ones; null when none were refused. */
    private volatile String refusedCredentials;
    private volatile String refusedMessage;
    private final java.util.Set<String> reportedUnpublished = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private String sendRaw(String method, String resource, Map<String, String> options, JsonNode body, String accept,
                           boolean jsonFormat) {
        String presented = credentials().orElse("");
        if (refusedCredentials != null && refusedCredentials.equals(presented)) {
            throw new BadCredentials(refusedMessage);
        }
        URI uri = url(resource, options, jsonFormat);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout()).header("Accept", accept);
        credentials().ifPresent(c -> request.header("Authorization", c));
        if (body != null) {
            request.header("Content-Type", "application/json; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String what = method + " " + (resource.isEmpty() ? "/" : resource);
        HttpResponse<byte[]> response = exchange(request.build(), what);
        String text = OneCJson.text(response.body(), response.headers().firstValue("Content-Type").orElse(null));
        int status = response.statusCode();
        if (status < 400) {
            reportedUnpublished.remove(setOf(resource));
            return text;
        }
        String[] error = error(text);
        // only a 404 on an entity set itself says it is not published; one on a key, $count or an operation does not
        boolean set = setOf(resource).contains("_") && !resource.contains("(") && !resource.contains("/");
        RuntimeException failure = classify(status, error[0], error[1], what, setOf(resource), !set);
        if (failure instanceof BadCredentials) {
            refusedMessage = failure.getMessage();
            refusedCredentials = presented;
            Log.error(failure.getMessage());
        } else if (failure instanceof NotPublished && reportedUnpublished.add(setOf(resource))) {
            Log.error(failure.getMessage());
        }
        throw failure;
    }

    /**
     * Sends once more at once when the connection broke before any answer: the web server in front of 1C closes an
     * idle keep-alive connection (Apache's {@code KeepAliveTimeout} is 5 s) and a request sent on it in that moment
     * is lost. The JDK resends only GETs itself; every request here may be repeated (reads, {@code SelectChanges} and
     * {@code NotifyChangesReceived} of the same message, a PATCH of the same values). A timeout or a refused
     * connection is not resent: 1C is slow or away, and the caller waits for it.
     */
    private static HttpResponse<byte[]> exchange(HttpRequest request, String what) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
                throw unreachable(what, e);
            } catch (IOException e) {
                if (attempt > 1) {
                    throw unreachable(what, e);
                }
                Log.debugf("1C's connection broke before an answer to %s (%s); sent once more", what, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted", e);
            }
        }
    }

    private static Unavailable unreachable(String what, IOException e) {
        return new Unavailable("1C not reachable (" + what + "): "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    /**
     * What an error answer means (17.4.10; the classification of clients tested on real УТ 11 / БП 3.0): a refusal of
     * the data, of the credentials or of the request, or 1C being unable to answer now.
     *
     * @param keyed the request named one object ({@code Set(guid'…')}) or something else than a whole entity set
     */
    static RuntimeException classify(int status, String code, String message, String what, String entitySet, boolean keyed) {
        String said = (code == null ? "" : ": " + code) + (message == null || message.isBlank() ? "" : " " + message);
        if (status == 500 && "-1".equals(code)) {
            return new BusinessRefusal(status, "1C refused " + what + " (500)" + said);
        }
        if (status == 401 && "20".equals(code)) {
            return new Refused(status, code, "1C denied the OData user access to " + what + " (401, access rights)" + said);
        }
        if (status == 401) {
            return new BadCredentials("1C refused the credentials of the OData user (401 to " + what + "): check ONEC_USER "
                    + "and ONEC_PASSWORD and the user in 1C; no request goes to 1C until the settings change" + said);
        }
        if (status == 404 && !keyed && !entitySet.isEmpty()) {
            return new NotPublished(entitySet, code, "1C does not publish " + entitySet + " in its standard OData "
                    + "interface (404 to " + what + "): add it to the composition with УстановитьСоставСтандартногоИнтерфейсаOData "
                    + "(or the «Настройка стандартного интерфейса OData» data processor)" + said);
        }
        if (status == 406 || status >= 500) {
            return new Unavailable("1C answered " + status + " to " + what + (status == 406 ? " (no free session)" : "") + said, null);
        }
        return new Refused(status, code, "1C refused " + what + " with " + status + said);
    }

    /** The entity set a resource path starts with ({@code Catalog_X(guid'…')/…} → {@code Catalog_X}). */
    private static String setOf(String resource) {
        int end = resource.length();
        for (char c : new char[]{'(', '/', '?'}) {
            int at = resource.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return resource.substring(0, end);
    }

    /** 1C's error code and message from a JSON ({@code odata.error}) or XML ({@code m:error}) body; nulls when neither. */
    private String[] error(String text) {
        try {
            JsonNode error = json.readTree(text).path("odata.error");
            if (error.isObject()) {
                JsonNode message = error.path("message");
                return new String[]{error.path("code").asText(null),
                        message.isObject() ? message.path("value").asText("") : message.asText("")};
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: maybe XML
        }
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("<(?:\\w+:)?code>([^<]*)</").matcher(text);
        java.util.regex.Matcher message = java.util.regex.Pattern.compile("<(?:\\w+:)?message[^>]*>([^<]*)</").matcher(text);
        return new String[]{code.find() ? code.group(1).trim() : null, message.find() ? message.group(1).trim() : null};
    }

    /** Lets requests go to 1C again after a refusal of the credentials (tests; a restart with new settings). */
    void forgetRefusedCredentials() {
        refusedCredentials = null;
    }

    URI url(String resource, Map<String, String> options) {
        return url(resource, options, true);
    }

    private URI url(String resource, Map<String, String> options, boolean jsonFormat) {
        String base = config.odataUrl().orElseThrow(() -> new IllegalStateException("ONEC_ODATA_URL is not set")).toString();
        StringBuilder url = new StringBuilder(base.endsWith("/") ? base : base + "/");
        url.append(encodePath(resource));
        Map<String, String> query = new LinkedHashMap<>(options);
        if (jsonFormat) {
            query.put("$format", "json");
        }
        char sep = '?';
        for (Map.Entry<String, String> option : query.entrySet()) {
            url.append(sep).append(option.getKey()).append('=').append(encodeValue(option.getValue()));
            sep = '&';
        }
        return URI.create(url.toString());
    }

    /**
     * Percent-encodes the Cyrillic of a resource path as UTF-8; ASCII (parentheses, quotes, dashes, and the slash and
     * dollar of {@code /$count}) stays literal.
     */
    private static String encodePath(String resource) {
        StringBuilder out = new StringBuilder();
        for (byte b : resource.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "_-.'()=,~/$".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Query values: UTF-8 percent-encoding with {@code %20} for spaces (1C does not read {@code +} as one). */
    private static String encodeValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private java.util.Optional<String> credentials() {
        return config.user().map(user -> "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + config.password().orElse("")).getBytes(StandardCharsets.UTF_8)));
    }
}
