package ru.b24connector.outage;

/**
 * A call could not be made because {@link #dependency()} is unreachable (refused, reset, timed out, 5xx, circuit
 * open). Not the job's failure: the job waits for the dependency without spending an attempt.
 */
public class DependencyDown extends RuntimeException {

    private final Dependency dependency;

    public DependencyDown(Dependency dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
    }

    public Dependency dependency() {
        return dependency;
    }
}
