package ru.b24connector.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.registration.HandlerRegistrar;
import ru.b24connector.web.InvalidInputException;
import ru.b24connector.web.Problem;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The admin API: jobs, dead letters and registration. Protected by {@link AdminTokenFilter}. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(securitySchemeName = "adminToken", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "ADMIN_API_TOKEN")
@Tag(name = "Admin")
@SecurityRequirement(name = "adminToken")
public class AdminResource {

    /** A job as the admin API shows it (payloads may hold personal data: not listed, only on the detail view). */
    public record JobView(long id, String type, String status, int attempts, int maxAttempts, Instant runAt,
                          String lastError, Long inboxId, Instant createdAt, Instant updatedAt, String payload) {
        static JobView of(Job job, boolean withPayload) {
            return new JobView(job.id, job.type, job.status.name(), job.attempts, job.maxAttempts, job.runAt,
                    job.lastError, job.inboxId, job.createdAt, job.updatedAt, withPayload ? job.payload : null);
        }
    }

    @Inject
    JobQueue jobs;

    @Inject
    HandlerRegistrar registrar;

    @GET
    @Path("jobs")
    @Operation(summary = "Jobs with a status (QUEUED, RUNNING, DONE, DEAD, SKIPPED), newest first, and counts per status")
    public Map<String, Object> jobs(@RestQuery @DefaultValue("DEAD") String status,
                                    @RestQuery @DefaultValue("100") int limit) {
        Job.Status wanted;
        try {
            wanted = Job.Status.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "one-of", "must be one of " + java.util.Arrays.stream(Job.Status.values())
                    .map(Enum::name).collect(java.util.stream.Collectors.joining(", ")));
        }
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", "range", "must be between 1 and 1000");
        }
        List<JobView> list = jobs.list(wanted, limit).stream().map(j -> JobView.of(j, false)).toList();
        return Map.of("counts", jobs.countByStatus(), "jobs", list);
    }

    @GET
    @Path("jobs/{id}")
    @Operation(summary = "One job, with its payload")
    public RestResponse<?> job(@RestPath long id) {
        return jobs.find(id).<RestResponse<?>>map(j -> RestResponse.ok(JobView.of(j, true)))
                .orElseGet(() -> Problem.of(404, "Not found", "no job " + id).toResponse());
    }

    @POST
    @Path("jobs/{id}/replay")
    @Operation(summary = "Put a dead-lettered job back in the queue with fresh attempts")
    public RestResponse<?> replay(@RestPath long id) {
        if (jobs.replay(id)) {
            return RestResponse.accepted(Map.of("id", id, "status", "QUEUED"));
        }
        return Problem.of(409, "Conflict", "job " + id + " does not exist or is not dead-lettered").toResponse();
    }

    @Inject
    ru.b24connector.registration.PortalProvisioner provisioner;

    @POST
    @Path("provisioning")
    @Operation(summary = "Create in the portal the pipeline, stages and deal fields the process needs and lacks")
    public ru.b24connector.registration.PortalProvisioner.Report provision() {
        return provisioner.provision();
    }

    @POST
    @Path("registration")
    @Operation(summary = "Reconcile event bindings and robots with the portal now")
    public HandlerRegistrar.Report register() {
        return registrar.reconcile();
    }
}
