package ru.b24connector.admin;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The admin API. */
@ConfigMapping(prefix = "admin")
public interface AdminConfig {

    /** Bearer token of the admin API; unset: the admin API refuses every call. */
    Optional<String> apiToken();
}
