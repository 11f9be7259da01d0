package ru.b24connector.onec;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.web.InvalidInputException;
import ru.b24connector.web.Problem;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The 1C exchange log and the pull, for administrators (behind the admin token like all of /admin). */
@Path("/admin/1c")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "adminToken")
public class OneCAdminResource {

    /** A log entry; the payload only on the detail view (it holds personal data). */
    public record ExchangeView(long id, String direction, String kind, String ref, String dataVersion, String number,
                               String status, Long dealId, Long companyId, String error, Instant createdAt,
                               Instant updatedAt, String payload) {
        static ExchangeView of(OneCExchange e, boolean withPayload) {
            return new ExchangeView(e.id, e.direction.name(), e.kind.name(), e.ref, e.dataVersion, e.number,
                    e.status.name(), e.dealId, e.companyId, e.error, e.createdAt, e.updatedAt,
                    withPayload ? e.payload : null);
        }
    }

    @Inject
    OneCExchangeLog log;

    @Inject
    OneCExchangeQueries queries;

    @Inject
    OneCPull pull;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCPullProgress progress;

    @Inject
    OneCChangeScan scan;

    @Inject
    OneCPending pending;

    @GET
    @Path("exchange")
    @Operation(summary = "The exchange log, newest first: by 1C ref, status (RECEIVED, APPLIED, SUPERSEDED, IGNORED, "
            + "REJECTED, FAILED, PENDING, SENT) and direction (PUSH, PULL, WRITE)")
    public Map<String, Object> exchange(@RestQuery String ref, @RestQuery String status, @RestQuery String direction,
                                        @RestQuery @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", "range", "must be between 1 and 1000");
        }
        List<ExchangeView> entries = queries.list(ref == null ? null : ref.toLowerCase(Locale.ROOT),
                        parse(OneCExchange.Status.class, "status", status), parse(OneCExchange.Direction.class, "direction", direction), limit)
                .stream().map(e -> ExchangeView.of(e, false)).toList();
        return Map.of("entries", entries, "watermarks", pull.watermarks(), "held", pending.held());
    }

    @GET
    @Path("exchange/{id}")
    @Operation(summary = "One log entry, with the record as received")
    public RestResponse<?> entry(@RestPath long id) {
        return log.find(id).<RestResponse<?>>map(e -> RestResponse.ok(ExchangeView.of(e, true)))
                .orElseGet(() -> Problem.of(404, "Not found", "no exchange " + id).toResponse());
    }

    @GET
    @Path("progress")
    @Operation(summary = "Where the current (or last) pull of each entity set stands: rows read, records applied, "
            + "rejected, remaining, and an estimated finish")
    public Map<String, Object> progress() {
        return Map.of("sets", progress.views());
    }

    @POST
    @Path("pull")
    @Operation(summary = "Pull from 1C now (counterparties, then reclamations), whatever ONEC_SYNC_EVERY says")
    public RestResponse<?> pullNow() {
        if (!odata.configured()) {
            return Problem.of(409, "Conflict", "the pull is off: ONEC_ODATA_URL is not set").toResponse();
        }
        try {
            return RestResponse.ok(pull.runOnce());
        } catch (OneCPull.AlreadyRunning e) {
            return Problem.of(409, "Conflict", e.getMessage() + "; GET /admin/1c/progress shows it").toResponse();
        }
    }

    @POST
    @Path("scan")
    @Operation(summary = "Scan the open 1C documents for changed DataVersions now and read the changed ones "
            + "(without an exchange plan), whatever ONEC_SCAN_EVERY says")
    public RestResponse<?> scanNow() {
        if (!odata.configured()) {
            return Problem.of(409, "Conflict", "the pull is off: ONEC_ODATA_URL is not set").toResponse();
        }
        return RestResponse.ok(scan.runOnce());
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "one-of", "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
