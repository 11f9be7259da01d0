package ru.b24connector.web;

import jakarta.ws.rs.core.Response;

/**
 * A feature with HTML pages contributes one of these (a CDI bean), so that its pages answer a database outage with a
 * page a person can read instead of the JSON problem the APIs give.
 */
public interface DatabaseUnavailablePage {

    /** Whether {@code path} is one of this feature's pages. */
    boolean handles(String path);

    /** The page: status 503 with {@code Retry-After: retryAfterSeconds}. */
    Response render(int retryAfterSeconds);
}
