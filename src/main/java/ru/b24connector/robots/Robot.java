package ru.b24connector.robots;

/**
 * An automation-rule action hosted by the service, registered with the portal under {@link #code()}.
 * A call runs as a job (at least once): a robot must be idempotent per {@link RobotCall#eventToken()}.
 */
public interface Robot {

    /** Public code, e.g. {@code create_task}; the handler URL is {@code /b24/robots/<code>}. */
    String code();

    /** Names, properties and return properties as the automation designer shows them. */
    RobotDefinition definition();

    /**
     * Does the work. Throw {@link RobotInputException} for bad property values (reported to the robot log, nothing
     * changed, no retry); other exceptions are retried.
     *
     * @return the values to return to the portal, or {@link RobotResult#later()} when the answer comes later
     */
    RobotResult run(RobotCall call) throws Exception;
}
