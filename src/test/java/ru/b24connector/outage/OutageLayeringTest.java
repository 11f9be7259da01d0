package ru.b24connector.outage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outage} depends on no feature: the features contribute their probes and outage signals to it. */
class OutageLayeringTest {

    @Test
    void outageNamesNoFeaturePackage() throws IOException {
        Pattern reference = Pattern.compile("ru\\.b24connector\\.([a-z0-9]+)\\.");
        Map<String, String> features = new TreeMap<>();
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/ru/b24connector/outage"))) {
            for (Path source : sources.toList()) {
                Matcher m = reference.matcher(Files.readString(source));
                while (m.find()) {
                    if (!m.group(1).equals("outage") && !m.group(1).equals("cluster")) {
                        features.put(source.getFileName() + " -> " + m.group(1), m.group());
                    }
                }
            }
        }
        assertThat(features).as("references from outage to feature packages").isEmpty();
    }
}
