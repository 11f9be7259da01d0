package ru.b24connector.robots;

/** A robot property value that breaks a rule; reported to the portal's robot log, and nothing is changed. */
public class RobotInputException extends RuntimeException {

    private final String property;
    private final String rule;

    public RobotInputException(String property, String rule, String message) {
        super(property + ": " + message);
        this.property = property;
        this.rule = rule;
    }

    public String property() {
        return property;
    }

    public String rule() {
        return rule;
    }
}
