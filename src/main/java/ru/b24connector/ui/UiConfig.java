package ru.b24connector.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The pages the portal frames: the deal-card tab and the supervisor's board. */
@ConfigMapping(prefix = "ui")
public interface UiConfig {

    /**
     * Key that signs page sessions and photo links; replicas must share it. Unset: derived from
     * B24_CLIENT_SECRET (shared by replicas already), else random per start.
     */
    Optional<String> sessionSecret();

    /** Longest life of a page session; it never outlives the portal token it was opened with (AUTH_EXPIRES). */
    @WithDefault("55m")
    Duration sessionTtl();

    /** How long an opening's portal read (the user, the deal) is reused when the same frame token opens it again. */
    @WithDefault("60s")
    Duration cardCache();

    /**
     * Optional URL of the portal's BX24 library (e.g. {@code https://api.bitrix24.tech/api/v1/}) for resizing the
     * frame; unset: the pages load nothing from outside the service and keep their natural height.
     */
    Optional<URI> bx24Script();
}
