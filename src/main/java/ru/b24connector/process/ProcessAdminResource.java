package ru.b24connector.process;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.web.InvalidInputException;
import ru.b24connector.web.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admin API of the process: the process in force, validation of a candidate file, and a dry run that tells what
 * entering a stage would do for a real deal (reads the portal, writes nothing).
 */
@Path("/admin/process")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessAdminResource {

    @Inject
    ProcessDefinitions definitions;

    @Inject
    ProcessService process;

    /** Name, source and stages of a process. */
    public record Summary(String name, String source, Map<String, List<String>> pipelines, List<String> inactive) {
        public static Summary of(ProcessDefinition d) {
            Map<String, List<String>> pipelines = new LinkedHashMap<>();
            d.pipelines().forEach((id, p) -> pipelines.put(String.valueOf(id), List.copyOf(p.stages().keySet())));
            return new Summary(d.name(), d.source(), pipelines, d.unresolved());
        }
    }

    /** A dry run's one-line answer and its details. */
    public record DryRunAnswer(String summary, ProcessService.DryRun result) {
    }

    @GET
    public Summary current() {
        return Summary.of(definitions.current());
    }

    /** Validates a candidate process file (YAML body): 200 with its summary, or 422 naming the line and problem. */
    @POST
    @Path("validate")
    @Consumes(MediaType.WILDCARD)
    public RestResponse<?> validate(String yaml) {
        try {
            return RestResponse.ok(Summary.of(definitions.parse(yaml == null ? "" : yaml, "candidate")));
        } catch (ProcessFileException e) {
            return invalid(e);
        }
    }

    /**
     * Dry run for deal {@code deal} entering {@code stage} (default: the stage it is in), under the candidate file
     * in the body, or the process in force when the body is empty.
     */
    @POST
    @Path("dry-run")
    @Consumes(MediaType.WILDCARD)
    public RestResponse<?> dryRun(@QueryParam("deal") Long deal, @QueryParam("stage") String stage, String yaml) {
        if (deal == null || deal <= 0) {
            throw new InvalidInputException("deal", "required", "query parameter deal must be a deal id");
        }
        ProcessDefinition definition;
        try {
            definition = yaml == null || yaml.isBlank() ? definitions.current() : definitions.parse(yaml, "candidate");
        } catch (ProcessFileException e) {
            return invalid(e);
        }
        try {
            ProcessService.DryRun result = process.dryRun(definition, deal,
                    Optional.ofNullable(stage).filter(s -> !s.isBlank()));
            return RestResponse.ok(new DryRunAnswer(result.summary(), result));
        } catch (IllegalArgumentException e) {
            return Problem.of(404, "Not found", e.getMessage()).toResponse();
        }
    }

    private static RestResponse<Problem> invalid(ProcessFileException e) {
        return new Problem("about:blank", "Process file is invalid", 422, e.getMessage(), List.of(
                new Problem.FieldError(e.line() > 0 ? "line " + e.line() : "file", "process-file", e.problem())))
                .toResponse();
    }
}
