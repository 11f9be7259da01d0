package ru.b24connector.registration;

import io.smallrye.config.ConfigMapping;

import java.net.URI;
import java.util.Optional;

/** How the outside world reaches this service. */
@ConfigMapping(prefix = "app")
public interface AppConfig {

    /** Base URL at which the portal reaches this service; handler URLs are built from it. Unset: no registration. */
    Optional<URI> publicUrl();
}
