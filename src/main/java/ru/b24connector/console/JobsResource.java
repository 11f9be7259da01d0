package ru.b24connector.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueries;
import ru.b24connector.jobs.JobQueue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Jobs in the console: filter by status and type, one job's detail, replaying one or every dead job of a type. */
@Path("/admin/console/jobs")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class JobsResource {

    private static final int LIMIT = 200;

    @Inject
    JobQueue jobs;

    @Inject
    JobQueries queries;

    @Inject
    ru.b24connector.jobs.JobAttempts attempts;

    /** One run of the job as the page shows it: times in the page's format, the reason with secrets hidden. */
    public record AttemptRow(int attempt, String startedAt, String finishedAt, String outcome, String outcomeText,
                             String detail, String worker) {
    }

    @Inject
    ConsolePages pages;

    @Inject
    ActionLog actions;

    @Inject
    @Location("console/jobs.html")
    Template list;

    @Inject
    @Location("console/job.html")
    Template detail;

    @Inject
    @Location("console/confirm.html")
    Template confirm;

    /** A job's detail: redacted payload and error, and its history. */
    public record JobDetail(JobRow row, String payload, String startedAt, Long inboxId, String dedupKey) {
    }

    @GET
    @Operation(summary = "Jobs by status and type, newest first")
    public Response list(@RestQuery String status, @RestQuery String type) {
        Job.Status wanted = ConsoleRefusal.enumParam(Job.Status.class, "status", status);
        String wantedType = type == null || type.isBlank() ? null : type.strip();
        Map<String, Long> deadByType = queries.deadByType();
        List<JobRow> rows = queries.list(wanted, wantedType, LIMIT).stream().map(j -> JobRow.of(j, pages)).toList();
        return pages.ok(pages.page(list, "jobs").data("rows", rows).data("counts", jobs.countByStatus())
                .data("statuses", Arrays.stream(Job.Status.values()).map(Enum::name).toList())
                .data("types", deadByType.keySet()).data("status", wanted == null ? "" : wanted.name())
                .data("type", wantedType == null ? "" : wantedType)
                .data("deadOfType", wantedType == null ? 0L : deadByType.getOrDefault(wantedType, 0L)));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One job: payload with secrets hidden, attempts, last error, history")
    public Response job(@RestPath long id) {
        Job job = jobs.find(id).orElseThrow(() -> ConsoleRefusal.notFound("no job " + id));
        JobDetail d = new JobDetail(JobRow.of(job, pages), Redaction.payload(job.payload), pages.time(job.startedAt),
                job.inboxId, job.dedupKey);
        List<AttemptRow> runs = attempts.of(id, 50).stream().map(a -> new AttemptRow(a.attempt(), pages.time(a.startedAt()),
                pages.time(a.finishedAt()), a.outcome(), pages.texts().get("con.job.outcome." + a.outcome()), a.detail() == null ? "" : Redaction.text(a.detail()), a.worker()))
                .toList();
        return pages.ok(pages.page(detail, "jobs").data("job", d).data("actions", actions.recent(target(id), 20))
                .data("runs", runs));
    }

    @GET
    @Path("{id}/replay")
    @Operation(summary = "Asks to confirm replaying a dead job (changes nothing)")
    public Response confirmReplay(@RestPath long id) {
        Job job = jobs.find(id).orElseThrow(() -> ConsoleRefusal.notFound("no job " + id));
        String question = pages.texts().get("con.confirm.one").replace("{0}", String.valueOf(id)).replace("{1}", job.type);
        return pages.ok(pages.page(confirm, "jobs").data("question", question)
                .data("action", "/admin/console/jobs/" + id + "/replay").data("fields", Map.of())
                .data("cancel", "/admin/console/jobs/" + id));
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Puts a dead job back in the queue with fresh attempts")
    public Response replay(@RestPath long id, @RestForm String csrf) {
        ConsoleSession session = pages.checkCsrf(csrf);
        boolean replayed = jobs.replay(id);
        actions.record(session, "replay", target(id), replayed ? "queued again" : "refused: not a dead job");
        if (!replayed) {
            throw new ConsoleRefusal(409, "job " + id + " does not exist or is not dead-lettered");
        }
        return ConsolePages.seeOther("/admin/console/jobs/" + id);
    }

    @GET
    @Path("replay-dead")
    @Operation(summary = "Asks to confirm replaying every dead job of a type (changes nothing)")
    public Response confirmReplayType(@RestQuery String type) {
        String t = requiredType(type);
        long count = queries.deadByType().getOrDefault(t, 0L);
        String question = pages.texts().get("con.confirm.type").replace("{0}", t).replace("{1}", String.valueOf(count));
        return pages.ok(pages.page(confirm, "jobs").data("question", question)
                .data("action", "/admin/console/jobs/replay-dead").data("fields", Map.of("type", t))
                .data("cancel", "/admin/console/jobs?status=DEAD&type=" + java.net.URLEncoder.encode(t, java.nio.charset.StandardCharsets.UTF_8)));
    }

    @POST
    @Path("replay-dead")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Puts every dead job of a type back in the queue")
    public Response replayType(@RestForm String type, @RestForm String csrf) {
        ConsoleSession session = pages.checkCsrf(csrf);
        String t = requiredType(type);
        int replayed = jobs.replayDead(t);
        actions.record(session, "replay-type", "type:" + t, replayed + " job(s) queued again");
        return ConsolePages.seeOther("/admin/console/jobs?type=" + java.net.URLEncoder.encode(t, java.nio.charset.StandardCharsets.UTF_8));
    }

    static String target(long jobId) {
        return "job:" + jobId;
    }

    private static String requiredType(String type) {
        if (type == null || type.isBlank() || type.length() > 64) {
            throw ConsoleRefusal.badRequest("type: required, at most 64 characters");
        }
        return type.strip();
    }
}
