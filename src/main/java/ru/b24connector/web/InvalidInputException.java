package ru.b24connector.web;

import java.util.List;

/** Input that broke rules a constraint annotation cannot express (checksums, cross-field rules); answered 400. */
public class InvalidInputException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public InvalidInputException(List<Problem.FieldError> errors) {
        super(errors.size() + " invalid field(s)");
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String rule, String message) {
        this(List.of(new Problem.FieldError(field, rule, message)));
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
