package ru.b24connector.embedded;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The embedded MariaDB, used only when QUARKUS_DATASOURCE_JDBC_URL is unset. The Application main reads these
 * before Quarkus starts; this mapping documents and validates them.
 */
@ConfigMapping(prefix = "embedded-db")
public interface EmbeddedDbConfig {

    /** Data folder of the embedded MariaDB; kept across restarts. */
    @WithDefault("data/mariadb")
    String dir();

    /** Port of the embedded MariaDB; 0 picks a free one. */
    @WithDefault("0")
    @Min(value = 0, message = "must be a port number") @Max(value = 65535, message = "must be a port number")
    int port();
}
