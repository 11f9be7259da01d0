package ru.b24connector.onec;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.time.ZoneId;
import java.util.Optional;

/** Exchange with 1C: the scheduled pull from its OData interface and the push endpoints 1C calls. */
@ConfigMapping(prefix = "onec")
public interface OneCConfig {

    /** Root of the standard OData interface, ending in {@code /odata/standard.odata/}. Unset: the pull is off. */
    Optional<URI> odataUrl();

    /** 1C user for the OData interface (HTTP Basic). */
    Optional<String> user();

    /** Password of that user. */
    Optional<String> password();

    /** How often to pull: a duration such as {@code 15m} or {@code 1h}, or {@code off}. */
    @WithDefault("15m")
    @Pattern(regexp = "off|disabled|\\d+[smhd]|P.*", message = "must be a duration such as 15m or 1h, or off")
    String syncEvery();

    /** Token 1C must present on the push endpoints, as HTTP Basic password or Bearer token. Unset: pushes refused. */
    Optional<String> apiToken();

    /** Time zone of 1C's dates, which carry none. */
    @WithDefault("Europe/Moscow")
    ZoneId zone();
}
