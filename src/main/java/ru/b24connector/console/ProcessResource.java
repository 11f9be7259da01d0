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
import ru.b24connector.portal.PortalException;
import ru.b24connector.process.ProcessAdminResource;
import ru.b24connector.process.ProcessDefinition;
import ru.b24connector.process.ProcessDefinitions;
import ru.b24connector.process.ProcessFileException;
import ru.b24connector.process.ProcessService;

import java.util.Optional;

/**
 * The process in force (name, source, pipelines and stages), validating a candidate file, and a dry run on a deal
 * shown readably. Both forms are read only (POST only because a file does not fit a URL); they carry the CSRF token
 * like every form.
 */
@Path("/admin/console/process")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class ProcessResource {

    private static final int MAX_FILE = 200_000;

    @Inject
    ProcessDefinitions definitions;

    @Inject
    ProcessService process;

    @Inject
    ConsolePages pages;

    @Inject
    @Location("console/process.html")
    Template page;

    /** A validation's outcome: the candidate's summary, or the line and problem. */
    public record Validation(boolean valid, ProcessAdminResource.Summary summary, String problem) {
    }

    @GET
    @Operation(summary = "The process in force")
    public Response show() {
        return render(null, null, null, "", "", "");
    }

    @POST
    @Path("validate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Validate a candidate process file (changes nothing)")
    public Response validate(@RestForm String csrf, @RestForm String yaml) {
        pages.checkCsrf(csrf);
        String text = candidate(yaml);
        Validation v;
        try {
            v = new Validation(true, ProcessAdminResource.Summary.of(definitions.parse(text, "candidate")), null);
        } catch (ProcessFileException e) {
            v = new Validation(false, null, e.getMessage());
        }
        return render(v, null, null, text, "", "");
    }

    @POST
    @Path("dry-run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Dry run on a deal: what entering a stage would do (reads the portal, writes nothing)")
    public Response dryRun(@RestForm String csrf, @RestForm String deal, @RestForm String stage, @RestForm String yaml) {
        pages.checkCsrf(csrf);
        String text = candidate(yaml);
        String dealText = deal == null ? "" : deal.strip();
        if (!dealText.matches("\\d{1,15}") || Long.parseLong(dealText) <= 0) {
            throw ConsoleRefusal.badRequest("deal: must be a deal id");
        }
        String stageText = stage == null ? "" : stage.strip();
        ProcessDefinition definition;
        try {
            definition = text.isBlank() ? definitions.current() : definitions.parse(text, "candidate");
        } catch (ProcessFileException e) {
            return render(new Validation(false, null, e.getMessage()), null, null, text, dealText, stageText);
        }
        try {
            ProcessService.DryRun result = process.dryRun(definition, Long.parseLong(dealText),
                    Optional.of(stageText).filter(s -> !s.isEmpty()));
            return render(null, result, null, text, dealText, stageText);
        } catch (IllegalArgumentException e) {
            return render(null, null, e.getMessage(), text, dealText, stageText);
        } catch (PortalException e) {
            return render(null, null, Redaction.text(e.getMessage()), text, dealText, stageText);
        }
    }

    private String candidate(String yaml) {
        if (yaml != null && yaml.length() > MAX_FILE) {
            throw ConsoleRefusal.badRequest("yaml: at most " + MAX_FILE + " characters");
        }
        return yaml == null ? "" : yaml;
    }

    private Response render(Validation validation, ProcessService.DryRun dryRun, String dryRunError, String yaml,
                            String deal, String stage) {
        ProcessDefinition current = definitions.current();
        return pages.ok(pages.page(page, "process").data("current", ProcessAdminResource.Summary.of(current))
                .data("validation", validation).data("dryRun", dryRun).data("dryRunError", dryRunError)
                .data("yaml", yaml).data("deal", deal).data("stage", stage)
                .data("fileText", definitions.currentText().orElse(null)));
    }
}
