package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one door to the Bitrix24 REST API. Every call waits for the rate limiter and the method's time budget,
 * is retried on {@code QUERY_LIMIT_EXCEEDED} (after a backoff) and {@code OPERATION_TIME_LIMIT} (after the reset),
 * refreshes an expired OAuth token once, and is resent after an outage only when resending cannot duplicate
 * anything. Errors come out as typed {@link PortalException}s naming the method and the portal's code.
 */
@ApplicationScoped
public class PortalClient {

    /** Page size of the portal's list methods. */
    public static final int PAGE = 50;

    /** Pages of one list read at most (100,000 rows): more means the portal's paging does not end. */
    public static final int MAX_LIST_PAGES = 2_000;

    @Inject
    PortalTransport transport;

    @Inject
    PortalRetry retry;

    @Inject
    PortalGovernor governor;

    @Inject
    PortalCredentials credentials;

    @Inject
    PortalHealth health;

    @Inject
    PortalConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    PortalFeatures features;

    @Inject
    OverloadBlock overload;

    private static final String PROBE_METHOD = "server.time";

    /** The mapper answers are read with, for callers that build result-shaped nodes. */
    public ObjectMapper json() {
        return json;
    }

    /**
     * How many items of {@code commandsPerItem} commands of each of these methods a batch may carry now without
     * passing their time budgets, and when to look again if none: a caller that groups work sizes its group by it,
     * so a tight budget is spent, never overdrawn, and work that does not fit waits in the queue, not in a worker.
     */
    public BudgetRoom budgetRoom(int commandsPerItem, String... methods) {
        return governor.room(commandsPerItem, java.util.List.of(methods));
    }

    /** True when a webhook URL or an installed OAuth application is available. */
    public boolean configured() {
        return credentials.configured();
    }

    /**
     * One cheap call ({@code server.time}) past the circuit breaker and without retries: empty when the portal
     * answers at all (an error envelope is an answer), else why not. A success closes the breaker at once, so the
     * jobs that waited for the portal do not wait for the breaker's delay too.
     */
    public Optional<String> probe() {
        if (!configured()) {
            return Optional.empty();
        }
        if (overload.holds()) {
            return Optional.of(overload.text());
        }
        try {
            PortalCredentials.Access access = credentials.current(PROBE_METHOD);
            ObjectNode body = json.createObjectNode();
            if (access.accessToken() != null) {
                body.put("auth", access.accessToken());
            }
            transport.probe(access.base(), PROBE_METHOD, body);
        } catch (PortalException.Blocked e) {
            overload.blocked(e);
            return Optional.of(overload.text());
        } catch (PortalException.Unavailable e) {
            if (e.httpStatus() == 0 || e.httpStatus() >= 500) {
                health.failed(clock.instant(), e.code());
                return Optional.of(e.getMessage());
            }
        } catch (PortalException answered) {
            // refused, throttled, token expired: the portal is up, the jobs will deal with the rest
        }
        overload.reached();
        breakers.reset("portal");
        return Optional.empty();
    }

    /** Calls {@code method} and returns its {@code result}. */
    public JsonNode call(String method, Map<String, ?> params) {
        return answer(method, params).result();
    }

    /** Calls {@code method} and returns the whole answer (result, total, next, time). */
    public PortalAnswer answer(String method, Map<String, ?> params) {
        return execute(method, params, Billing.waiting(List.of(method)), !PortalMethods.isCreate(method));
    }

    /**
     * Creates a record without ever creating it twice. If the create may have reached the portal but no answer came
     * back (timeout, 5xx), {@code existing} looks the record up by the external id it carries; only when it is not
     * found is the create sent again.
     *
     * @return the create's result, or what {@code existing} found
     */
    public JsonNode create(String method, Map<String, ?> params, Supplier<Optional<JsonNode>> existing) {
        int attempts = config.http().transportAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                return call(method, params);
            } catch (PortalException.Unavailable e) {
                if (attempt >= attempts || e instanceof PortalException.Blocked) {
                    throw e;
                }
                sleep(backoffMillis(attempt));
                if (e.mayHaveApplied()) {
                    Optional<JsonNode> found = existing.get();
                    if (found.isPresent()) {
                        Log.infof("%s had no answer, but the record exists: not created again", method);
                        return found.get();
                    }
                }
            }
        }
    }

    /**
     * Runs the commands as {@code batch} calls of up to 50 commands ({@code halt=0}). The portal counts each call
     * as one request; each command still spends its own method's time budget (the outer call spends none).
     */
    public BatchResult batch(PortalBatch batch) {
        BatchAnswers answers = new BatchAnswers(governor);
        boolean first = true;
        for (List<PortalBatch.Command> chunk : batch.chunks()) {
            Map<String, String> cmd = new LinkedHashMap<>();
            List<String> billed = new ArrayList<>();
            boolean resendable = true;
            for (PortalBatch.Command command : chunk) {
                Map<String, Object> params = withWriteMarker(command.method(), command.params());
                cmd.put(command.key(), new PortalBatch.Command(command.key(), command.method(), params).query());
                answers.sent(command);
                billed.add(command.method());
                resendable &= !PortalMethods.isCreate(command.method());
            }
            // only the first call may give up for the budget: the results of those sent must not be lost
            Billing billing = first ? batch.billing(billed) : Billing.waiting(billed);
            first = false;
            answers.add(execute("batch", Map.of("halt", 0, "cmd", cmd), billing, resendable).result(), chunk);
        }
        return answers.result();
    }

    /**
     * Runs one {@code batch} call (at most 50 commands) with a portal user's own access token (a frame's
     * {@code AUTH_ID}) against the installed portal's stored REST endpoint, never an address the caller names. The
     * commands run with that user's rights. Paced by the same limiter; not refreshed, not resent: an expired or
     * forged token comes out as {@link PortalException.TokenExpired} or {@link PortalException.Rejected}.
     */
    public BatchResult batchAsUser(String accessToken, PortalBatch batch) {
        PortalCredentials.Installation installed = credentials.installation().orElseThrow(() ->
                new PortalException.NotConfigured("batch", "the local application is not installed"));
        List<List<PortalBatch.Command>> chunks = batch.chunks();
        if (chunks.size() != 1) {
            throw new IllegalArgumentException("a user's batch is one call of 1 to 50 commands");
        }
        BatchAnswers answers = new BatchAnswers(governor);
        Map<String, String> cmd = new LinkedHashMap<>();
        List<String> billed = new ArrayList<>();
        for (PortalBatch.Command command : chunks.get(0)) {
            cmd.put(command.key(), command.query());
            answers.sent(command);
            billed.add(command.method());
        }
        ObjectNode body = json.valueToTree(Map.of("halt", 0, "cmd", cmd));
        body.put("auth", accessToken);
        overload.refuseWhileBlocked("batch");
        JsonNode result;
        try {
            result = transport.send(installed.clientEndpoint(), "batch", body, Billing.waiting(billed)).result();
        } catch (PortalException.Blocked e) {
            overload.blocked(e);
            throw e;
        }
        overload.reached();
        answers.add(result, chunks.get(0));
        return answers.result();
    }

    /** All rows of a list method, page by page ({@code start} = the previous {@code next}). */
    public List<JsonNode> list(String method, Map<String, ?> params) {
        List<JsonNode> rows = new ArrayList<>();
        listFrom(method, params, 0, rows);
        return rows;
    }

    /**
     * The pages of a list from {@code start} on, added to {@code rows}: the rest of a list whose first page came in
     * a {@code batch} ({@code start} = that page's {@code next}). A portal whose {@code next} does not move forward,
     * or a list longer than {@link #MAX_LIST_PAGES} pages, is bad input: one ERROR line and a
     * {@link PortalException.Rejected} ({@code ENDLESS_LIST}), never a loop and never a silently cut list.
     */
    public void listFrom(String method, Map<String, ?> params, int start, List<JsonNode> rows) {
        Map<String, Object> page = new LinkedHashMap<>(params);
        for (int pages = 1; ; pages++) {
            page.put("start", start);
            PortalAnswer answer = answer(method, page);
            itemsOf(answer.result()).forEach(rows::add);
            if (answer.next().isEmpty()) {
                return;
            }
            int next = answer.next().getAsInt();
            if (next <= start || pages >= MAX_LIST_PAGES) {
                String why = next <= start ? "next=" + next + " after start=" + start
                        : "more than " + MAX_LIST_PAGES + " pages (" + rows.size() + " rows)";
                Log.errorf("%s: the portal's list does not end (%s); stopped reading it", method, why);
                throw new PortalException.Rejected(method, "ENDLESS_LIST", 200, "the list does not end: " + why);
            }
            start = next;
        }
    }

    /**
     * Every row of a large list without counting ({@code start=-1}, ordered by id, filtered past the last id seen):
     * the portal's fast form for exports. Stops at the first page shorter than 50.
     *
     * @param idField id field name in filters and order ({@code ID} for crm.deal.list, {@code id} for crm.item.list)
     */
    public void exportAll(String method, Map<String, ?> params, String idField, Consumer<JsonNode> row) {
        long lastId = 0;
        while (true) {
            Map<String, Object> page = new LinkedHashMap<>(params);
            Map<String, Object> filter = new LinkedHashMap<>();
            if (params.get("filter") instanceof Map<?, ?> given) {
                given.forEach((k, v) -> filter.put(String.valueOf(k), v));
            }
            filter.put(">" + idField, lastId);
            page.put("filter", filter);
            page.put("order", Map.of(idField, "ASC"));
            page.put("start", -1);
            List<JsonNode> rows = new ArrayList<>();
            itemsOf(answer(method, page).result()).forEach(rows::add);
            for (JsonNode r : rows) {
                row.accept(r);
                JsonNode id = r.has(idField) ? r.get(idField) : r.get(idField.toLowerCase());
                lastId = Math.max(lastId, id == null ? lastId : id.asLong());
            }
            if (rows.size() < PAGE) {
                return;
            }
        }
    }

    /** The rows of a list result: the array itself, or the one array inside ({@code tasks}, {@code items}). */
    public static Iterable<JsonNode> itemsOf(JsonNode result) {
        if (result.isArray()) {
            return result;
        }
        if (result.isObject()) {
            for (JsonNode value : result) {
                if (value.isArray()) {
                    return value;
                }
            }
        }
        return List.of();
    }

    private PortalAnswer execute(String method, Map<String, ?> params, Billing billing, boolean resendable) {
        Map<String, Object> withMarker = withWriteMarker(method, params);
        int throttled = 0;
        long limitAnswersSince = 0; // System.nanoTime() of this call's first QUERY_LIMIT_EXCEEDED, 0 before
        boolean refreshed = false;
        while (true) {
            overload.refuseWhileBlocked(method);
            PortalCredentials.Access access = credentials.current(method);
            try {
                ObjectNode body = json.valueToTree(withMarker);
                if (access.accessToken() != null) {
                    body.put("auth", access.accessToken());
                }
                Supplier<PortalAnswer> exchange = () -> transport.send(access.base(), method, body, billing);
                PortalAnswer answer = resendable ? retry.resendable(exchange) : exchange.get();
                overload.reached();
                return answer;
            } catch (PortalException.Throttled e) {
                // a short wait, never a spent attempt: the limiter holds the next slot of every worker and replica
                // for about one request's drain time (growing gently), and this call takes the next slot it gets
                long now = System.nanoTime();
                if (limitAnswersSince == 0) {
                    limitAnswersSince = now;
                } else if (now - limitAnswersSince >= config.rate().limitAnswerPatience().toNanos()) {
                    throw e;
                }
                java.time.Duration pause = governor.throttled();
                Log.debugf("%s: QUERY_LIMIT_EXCEEDED; every call pauses %d ms", method, pause.toMillis());
            } catch (PortalException.OperationLimit e) {
                if (++throttled >= config.http().throttleAttempts()) {
                    throw e;
                }
                billing.commands().stream().distinct().forEach(governor::blockUntilReset);
            } catch (PortalException.TokenExpired e) {
                if (refreshed || access.accessToken() == null) {
                    throw e;
                }
                refreshed = true;
                credentials.refreshAfterExpiry(access.accessToken(), method);
            } catch (PortalException.Blocked e) {
                overload.blocked(e);
                throw e;
            } catch (PortalException.Unavailable e) {
                health.failed(clock.instant(), e.code());
                throw e;
            } catch (CircuitBreakerOpenException e) {
                health.failed(clock.instant(), "CIRCUIT_OPEN");
                throw new PortalException.Unavailable(method, "CIRCUIT_OPEN", 0,
                        "the portal failed repeatedly; calls pause for a while", false);
            }
        }
    }

    private Map<String, Object> withWriteMarker(String method, Map<String, ?> params) {
        Map<String, Object> copy = new LinkedHashMap<>(params);
        // only on a plan with rest_auth_connector, and only while events come through the offline queue
        if (PortalMethods.acceptsAuthConnector(method) && features.sendAuthConnector()) {
            copy.putIfAbsent("auth_connector", config.authConnector());
        }
        return copy;
    }

    private long backoffMillis(int attempt) {
        long base = config.http().backoff().toMillis() * (1L << Math.min(attempt - 1, 6));
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off from the portal", e);
        }
    }
}
