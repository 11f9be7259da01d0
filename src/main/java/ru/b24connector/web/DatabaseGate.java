package ru.b24connector.web;

import io.quarkus.logging.Log;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;

/**
 * While the database is known to be down, every request that would need it is answered at once with 503 and
 * {@code Retry-After} (a page on the console): nothing can be stored, and a request that waited for its timeouts
 * would only hold a worker thread. Runs after the token checks (a wrong token still gets 401). Health endpoints are
 * not behind it. The database probe ends the refusal as soon as the database answers again; besides, one request
 * every {@value #TRIAL_EVERY_MILLIS} ms is let through as a trial (half-open, as a circuit breaker does), and a
 * trial that gets its answer ends the refusal too, so recovery never hangs on the probe's schedule alone.
 */
public class DatabaseGate {

    static final long TRIAL_EVERY_MILLIS = 2_000;
    private static final String TRIAL = DatabaseGate.class.getName() + ".trial";

    private final java.util.concurrent.atomic.AtomicLong nextTrial = new java.util.concurrent.atomic.AtomicLong();

    @Inject
    DependencyState state;

    @Inject
    Instance<DatabaseUnavailablePage> pages;

    @ServerRequestFilter(preMatching = false, priority = Priorities.USER + 100)
    public Response refuseWhileDatabaseDown(ContainerRequestContext request) {
        if (!state.isDown(Dependency.DATABASE)) {
            return null;
        }
        long now = System.currentTimeMillis();
        long next = nextTrial.get();
        DependencyState.Outage outage = state.outage(Dependency.DATABASE);
        long firstTrial = outage == null ? 0 : outage.since().toEpochMilli() + TRIAL_EVERY_MILLIS;
        if (now >= Math.max(next, firstTrial) && nextTrial.compareAndSet(next, now + TRIAL_EVERY_MILLIS)) {
            request.setProperty(TRIAL, Boolean.TRUE); // bounded by the JDBC timeouts like any request
            return null;
        }
        String path = request.getUriInfo().getPath();
        Log.debugf("%s %s refused at once: the database is down", request.getMethod(), path);
        return unavailable(path, pages);
    }

    /** A trial request that was answered (not a 5xx) reached the database: it is back. */
    @org.jboss.resteasy.reactive.server.ServerResponseFilter
    public void afterTrial(ContainerRequestContext request, jakarta.ws.rs.container.ContainerResponseContext response) {
        if (request.getProperty(TRIAL) != null && response.getStatus() < 500) {
            state.up(Dependency.DATABASE);
        }
    }

    /** The 503 for {@code path}: a feature's page where it has one, the JSON problem otherwise. */
    static Response unavailable(String path, Iterable<DatabaseUnavailablePage> pages) {
        for (DatabaseUnavailablePage page : pages) {
            if (page.handles(path)) {
                return page.render(ProblemMappers.DATABASE_RETRY_AFTER_SECONDS);
            }
        }
        return Response.status(503).type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .entity(Problem.of(503, "Service unavailable",
                        "The database is unreachable; nothing was stored. Retry after the time in Retry-After."))
                .header("Retry-After", String.valueOf(ProblemMappers.DATABASE_RETRY_AFTER_SECONDS)).build();
    }
}
