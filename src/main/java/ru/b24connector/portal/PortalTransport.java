package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP exchange with the portal: waits for a slot of the rate limiter, sends, and turns the answer into a
 * {@link PortalAnswer} or a typed {@link PortalException}. A circuit breaker guards the portal; only outages
 * (not throttling or rejections) count towards opening it.
 */
@ApplicationScoped
class PortalTransport {

    @Inject
    @RestClient
    PortalRestClient rest;

    @Inject
    PortalGovernor governor;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 2,
            failOn = PortalException.Unavailable.class)
    @CircuitBreakerName("portal")
    PortalAnswer send(String base, String method, JsonNode body, Billing billing) {
        OperatingBudgets.Grant grant = governor.acquire(billing);
        try {
            return exchange(base, method, body);
        } finally {
            governor.settle(grant);
        }
    }

    /**
     * The same exchange outside the circuit breaker: the probe that tells whether the portal answers again while the
     * breaker still holds the jobs' calls back. Still paced by the rate limiter.
     */
    PortalAnswer probe(String base, String method, JsonNode body) {
        OperatingBudgets.Grant grant = governor.acquire(Billing.waiting(List.of(method)));
        try {
            return exchange(base, method, body);
        } finally {
            governor.settle(grant);
        }
    }

    private PortalAnswer exchange(String base, String method, JsonNode body) {
        Response response;
        try {
            response = rest.call(base, method, json.writeValueAsString(body));
        } catch (ProcessingException e) {
            count(method, "unreachable");
            boolean refused = causedBy(e, ConnectException.class);
            throw new PortalException.Unavailable(method, refused ? "CONNECTION_FAILED" : "NO_ANSWER", 0,
                    refused ? "connection refused" : "no answer in time", !refused);
        } catch (IOException e) {
            throw new IllegalArgumentException("parameters of " + method + " are not serializable", e);
        }
        try (response) {
            return classify(method, body, response.getStatus(), response.readEntity(String.class));
        }
    }

    private PortalAnswer classify(String method, JsonNode request, int status, String body) {
        JsonNode envelope = parse(body);
        if (envelope == null || !envelope.isObject()) {
            count(method, "unreadable");
            // proxies answer overload with an HTML page: treat as an outage, never as success
            throw new PortalException.Unavailable(method, "HTTP_" + status, status, "answer is not JSON",
                    status >= 500);
        }
        if (envelope.has("error") && !envelope.has("result")) {
            String code = envelope.path("error").asText("");
            String description = envelope.path("error_description").asText("");
            count(method, code.isEmpty() ? "error" : code);
            if (!"QUERY_LIMIT_EXCEEDED".equalsIgnoreCase(code)) {
                governor.admitted();
            }
            throw toException(method, code, status, description);
        }
        governor.admitted();
        if (status >= 400) {
            count(method, "HTTP_" + status);
            throw new PortalException.Unavailable(method, "HTTP_" + status, status, "unexpected status", status >= 500);
        }
        count(method, "ok");
        // before the call's grant is settled, so its cost never drops out of the governor's sums in between
        governor.learn(method, request, envelope);
        return PortalAnswer.of(envelope);
    }

    static PortalException toException(String method, String code, int status, String description) {
        return switch (code.toUpperCase(Locale.ROOT)) {
            case "QUERY_LIMIT_EXCEEDED" -> new PortalException.Throttled(method, status, description);
            case "OPERATION_TIME_LIMIT" -> new PortalException.OperationLimit(method, status, description);
            case "EXPIRED_TOKEN", "INVALID_TOKEN" -> new PortalException.TokenExpired(method, code, status, description);
            // a manual block by Bitrix24 support (_includes/system-errors.md), not an outage
            case "OVERLOAD_LIMIT" -> new PortalException.Blocked(method, description);
            case "INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER" ->
                    new PortalException.Unavailable(method, code, status, description, true);
            default -> status >= 500 && code.isEmpty()
                    ? new PortalException.Unavailable(method, code, status, description, true)
                    : new PortalException.Rejected(method, code, status, description);
        };
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private void count(String method, String outcome) {
        metrics.counter("connector.portal.calls", "method", method, "outcome", outcome).increment();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
