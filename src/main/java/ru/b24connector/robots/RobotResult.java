package ru.b24connector.robots;

import java.util.Map;

/**
 * What a robot returns: values for its return properties and a line for the workflow log; or "pending" when the
 * answer is sent later (e.g. {@code request_info} waits for a colleague's answer).
 */
public record RobotResult(Map<String, Object> returnValues, String logMessage, boolean isPending) {

    public static RobotResult of(Map<String, Object> returnValues, String logMessage) {
        return new RobotResult(returnValues, logMessage, false);
    }

    public static RobotResult later() {
        return new RobotResult(Map.of(), null, true);
    }
}
