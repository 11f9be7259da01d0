package ru.b24connector;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import org.junit.jupiter.api.Test;
import ru.b24connector.portal.PortalConfig;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What an administrator reads when a variable is malformed: one line naming the variable. */
class StartupFailureTests {

    @Test
    void aMalformedNumberNamesTheEnvironmentVariable() {
        Throwable failure = catchThrowable(() -> new SmallRyeConfigBuilder()
                .withSources(new MapBackedConfigSource("env", Map.of("b24.rate.burst", "abc"), 300) {
                })
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(PortalConfig.class)
                .build());

        List<String> lines = StartupFailure.lines(new RuntimeException("Failed to start quarkus", failure));

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("Configuration error: B24_RATE_BURST (b24.rate.burst)")
                .contains("\"abc\"").doesNotContain("Exception").doesNotContain("SRCFG");
    }

    @Test
    void aCombinationProblemIsOneLine() {
        List<String> lines = StartupFailure.lines(new RuntimeException(
                new ConfigurationProblem("B24_CLIENT_ID and B24_CLIENT_SECRET must be set together")));

        assertThat(lines).containsExactly("Configuration error: B24_CLIENT_ID and B24_CLIENT_SECRET must be set together");
    }
}
