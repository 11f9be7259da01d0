package ru.b24connector.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/**
 * An error answer in RFC 9457 form ({@code application/problem+json}). {@code errors} names each bad field and
 * the rule it broke, so a dealer's or 1C programmer's code can react to it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One broken rule: {@code field} (JSON path, e.g. {@code dealer.inn}), {@code rule} (e.g. {@code inn-checksum}). */
    public record FieldError(String field, String rule, String message) {
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, List.of());
    }

    public static Problem invalid(List<FieldError> errors) {
        return new Problem("about:blank", "Request is invalid", 400,
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid", errors);
    }

    public RestResponse<Problem> toResponse() {
        return RestResponse.ResponseBuilder.<Problem>create(status)
                .entity(this).type(MediaType.valueOf(MEDIA_TYPE)).build();
    }
}
