package ru.b24connector.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;
import ru.b24connector.outage.Outages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Turns every error into a {@link Problem}; never a stack trace or a class name. */
public class ProblemMappers {

    /** A database restart or failover usually takes seconds; senders retry at this pace meanwhile. */
    static final int DATABASE_RETRY_AFTER_SECONDS = 10;

    @jakarta.inject.Inject
    DependencyState dependencies;

    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<DatabaseUnavailablePage> pages;

    @ServerExceptionMapper
    public RestResponse<Problem> onInvalid(ConstraintViolationException e) {
        return Problem.invalid(fieldErrors(e.getConstraintViolations())).toResponse();
    }

    /** Bean Validation's findings as the client's field paths and rule names, ordered by field. */
    public static List<Problem.FieldError> fieldErrors(java.util.Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new Problem.FieldError(field(v.getPropertyPath()), rule(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> onInvalidInput(InvalidInputException e) {
        return Problem.invalid(e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> onUnreadableJson(JsonProcessingException e) {
        String field = e instanceof MismatchedInputException m ? path(m) : "";
        String rule = e instanceof InvalidFormatException ? "type" : "json";
        String message = e instanceof MismatchedInputException ? "has the wrong type or shape" : "is not valid JSON";
        return Problem.invalid(List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, rule,
                message))).toResponse();
    }

    /** Quarkus's own mapper for this type answers an empty 400; this one names the field and the rule. */
    @ServerExceptionMapper
    public RestResponse<Problem> onWrongShape(MismatchedInputException e) {
        return onUnreadableJson(e);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> onWebError(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            // Quarkus REST's Jackson reader wraps a body it cannot read in a bare 400: say which field and rule
            return onUnreadableJson(unreadable);
        }
        int status = e.getResponse().getStatus();
        String title = e instanceof NotFoundException ? "Not found" : e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = e.getMessage() == null ? title : e.getMessage();
        return Problem.of(status, title, detail).toResponse();
    }

    /** Checked exceptions too: a failed commit can surface as a bare {@code RollbackException}. */
    @ServerExceptionMapper
    public jakarta.ws.rs.core.Response onUnexpected(Exception e, jakarta.ws.rs.core.UriInfo uri) {
        if (Outages.databaseDown(e)) {
            // nothing was stored (the transaction did not commit): the sender keeps it and sends it again later.
            // One WARN per outage (DependencyState); the requests refused meanwhile are not news.
            dependencies.down(Dependency.DATABASE, e.getClass().getSimpleName() + ": " + e.getMessage());
            Log.debugf("Request refused, the database is unreachable: %s", e.getMessage());
            return DatabaseGate.unavailable(uri.getPath(), pages);
        }
        Log.error("Request failed", e);
        return Problem.of(500, "Internal error", "The request could not be completed; it is safe to retry.")
                .toResponse().toResponse();
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** {@code create.arg0.dealer.inn} → {@code dealer.inn}: the path as the client wrote the JSON. */
    static String field(Path path) {
        List<String> parts = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
                continue;
            }
            String name = node.getName() == null ? "" : node.getName();
            if (node.getIndex() != null && !parts.isEmpty()) {
                parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "[" + node.getIndex() + "]");
            }
            if (!name.isEmpty() && !name.startsWith("<")) {
                parts.add(name);
            }
        }
        return parts.isEmpty() ? "body" : String.join(".", parts);
    }

    /** {@code @NotBlank} → {@code not-blank}. */
    static String rule(ConstraintViolation<?> v) {
        String simple = v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        return simple.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
