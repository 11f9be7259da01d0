package ru.b24connector;

/** A configuration value that is present and well-formed on its own but wrong in combination; stops startup. */
public class ConfigurationProblem extends RuntimeException {
    public ConfigurationProblem(String message) {
        super(message);
    }
}
