package ru.b24connector.portal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The portal call's read timeout outlasts the longest request a cloud portal runs (issue #24.9). */
class PortalTimeoutTest {

    @Test
    @DisplayName("limits.md: a cloud portal runs a request up to 60 s; the read timeout waits longer, so a heavy "
            + "batch is not cut off and then looked up and sent again; B24_READ_TIMEOUT_MS still overrides it")
    void theReadTimeoutOutlastsTheLongestRequestOfTheCloud() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Matcher timeout = Pattern.compile("(?m)^quarkus\\.rest-client\\.bitrix24\\.read-timeout=\\$\\{B24_READ_TIMEOUT_MS:(\\d+)}$")
                .matcher(properties);

        assertThat(timeout.find()).as("configurable through B24_READ_TIMEOUT_MS").isTrue();
        assertThat(Long.parseLong(timeout.group(1))).as("milliseconds").isGreaterThan(60_000);
        assertThat(Files.readString(Path.of(".env.example"))).contains("#B24_READ_TIMEOUT_MS=" + timeout.group(1));
    }
}
