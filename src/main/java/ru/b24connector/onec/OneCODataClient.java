package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** 1C could not be reached or failed (5xx, timeout): a job waits for 1C to come back, spending no attempt. */
    public static class Unavailable extends DependencyDown {
        Unavailable(String message, Throwable cause) {
            super(Dependency.ONEC, message, cause);
        }
    }

    /** 1C refused the request (4xx): retrying the same request will not help. */
    public static class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    @Inject
    OneCConfig config;

    @Inject
    ObjectMapper json;

    /** Built at the first request: building one loads the JDK's trust store, which a start need not wait for. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public boolean configured() {
        return config.odataUrl().isPresent();
    }

    /**
     * One cheap request to the service root (the list of published sets): empty when 1C answers at all (a refusal is
     * an answer), else why not. Used only while jobs wait for 1C.
     */
    public java.util.Optional<String> probe() {
        if (!configured()) {
            return java.util.Optional.empty();
        }
        try {
            send("GET", url("", Map.of()), null);
        } catch (Unavailable e) {
            return java.util.Optional.of(e.getMessage());
        } catch (Refused answered) {
            // 1C is up; the job itself will meet the refusal and spend its attempts on it
        }
        return java.util.Optional.empty();
    }

    /** The rows of one page of an entity set; {@code options} are system query options such as {@code $filter}. */
    public List<JsonNode> page(String entitySet, Map<String, String> options) {
        JsonNode body = send("GET", url(entitySet, options), null);
        List<JsonNode> rows = new ArrayList<>();
        JsonNode value = body.path("value");
        if (!value.isArray()) {
            throw new Unavailable("1C answered " + entitySet + " without a value array", null);
        }
        value.forEach(rows::add);
        return rows;
    }

    /** How many rows match ({@code <set>/$count}, 1C answers a bare number); null when the answer is not a number. */
    public Long count(String entitySet, java.util.Optional<String> filter) {
        JsonNode body = send("GET", url(entitySet + "/$count", filter.map(f -> Map.of("$filter", f)).orElse(Map.of())), null);
        return body.isNumber() || body.isTextual() && body.asText().matches("\\d+") ? body.asLong() : null;
    }

    /** One object by its Ref_Key, e.g. {@code Catalog_Номенклатура(guid'...')}. */
    public JsonNode object(String entitySet, String ref, Map<String, String> options) {
        return send("GET", url(entitySet + "(guid'" + ref + "')", options), null);
    }

    /** Changes attributes of one object ({@code PATCH}); 1C answers with the object as written. */
    public JsonNode patch(String entitySet, String ref, JsonNode attributes) {
        return send("PATCH", url(entitySet + "(guid'" + ref + "')", Map.of()), attributes);
    }

    private JsonNode send(String method, URI uri, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                .header("Accept", "application/json");
        credentials().ifPresent(c -> request.header("Authorization", c));
        if (body != null) {
            request.header("Content-Type", "application/json; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String what = method + " " + uri.getRawPath().substring(uri.getRawPath().lastIndexOf('/') + 1);
        HttpResponse<byte[]> response;
        try {
            response = Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unavailable("1C not reachable (" + what + "): " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
        String text = OneCJson.text(response.body(), response.headers().firstValue("Content-Type").orElse(null));
        if (response.statusCode() >= 500) {
            throw new Unavailable("1C answered " + response.statusCode() + " to " + what + error(text), null);
        }
        if (response.statusCode() >= 400) {
            throw new Refused(response.statusCode(), "1C refused " + what + " with " + response.statusCode() + error(text));
        }
        try {
            return text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            throw new Unavailable("1C answered " + what + " with something that is not JSON (is $format=json supported?)", e);
        }
    }

    /** {@code {"odata.error": {"code": "-1", "message": {"value": "..."}}}} → {@code : -1 ...}. */
    private String error(String text) {
        try {
            JsonNode error = json.readTree(text).path("odata.error");
            if (error.isObject()) {
                return ": " + error.path("code").asText() + " " + error.path("message").path("value").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: the status says enough
        }
        return "";
    }

    URI url(String resource, Map<String, String> options) {
        String base = config.odataUrl().orElseThrow(() -> new IllegalStateException("ONEC_ODATA_URL is not set")).toString();
        StringBuilder url = new StringBuilder(base.endsWith("/") ? base : base + "/");
        url.append(encodePath(resource));
        Map<String, String> query = new LinkedHashMap<>(options);
        query.put("$format", "json");
        char sep = '?';
        for (Map.Entry<String, String> option : query.entrySet()) {
            url.append(sep).append(option.getKey()).append('=').append(encodeValue(option.getValue()));
            sep = '&';
        }
        return URI.create(url.toString());
    }

    /** Percent-encodes the Cyrillic of a resource path as UTF-8; ASCII (parentheses, quotes, dashes) stays. */
    private static String encodePath(String resource) {
        StringBuilder out = new StringBuilder();
        for (byte b : resource.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "_-.'()=,~".indexOf(c) >= 0)) {
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
