package ru.b24connector.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the deployment files honest: every manifest parses as Kubernetes objects with the fields a cluster
 * requires, the Deployment carries the probes and limits the runbook promises, and the ConfigMap and Secret
 * hold exactly the variables of .env.example. (kubectl's own validation needs a cluster; none runs here.)
 */
class ManifestTests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Only meaningful outside Kubernetes: the embedded database and the HTTP port (the container's is 8080). */
    private static final Set<String> NOT_IN_CLUSTER = Set.of("EMBEDDED_DB_DIR", "EMBEDDED_DB_PORT", "QUARKUS_HTTP_PORT");

    @Test
    void everyManifestIsAWellFormedKubernetesObject() throws IOException {
        List<JsonNode> objects = allObjects();

        assertThat(objects).hasSizeGreaterThanOrEqualTo(7);
        for (JsonNode object : objects) {
            String where = object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
            assertThat(object.path("apiVersion").asText()).as(where).matches("v1|apps/v1");
            assertThat(object.path("kind").asText()).as(where)
                    .isIn("ConfigMap", "Secret", "Deployment", "Service", "StatefulSet");
            assertThat(object.path("metadata").path("name").asText()).as(where).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            if (object.path("kind").asText().equals("Deployment") || object.path("kind").asText().equals("StatefulSet")) {
                JsonNode spec = object.path("spec");
                assertThat(spec.path("selector").path("matchLabels"))
                        .as(where + " selector matches the pod labels")
                        .isEqualTo(spec.path("template").path("metadata").path("labels"));
                for (JsonNode container : spec.path("template").path("spec").path("containers")) {
                    assertThat(container.path("image").asText()).as(where).isNotBlank();
                    assertThat(container.path("resources").path("limits").path("memory").asText()).as(where).isNotBlank();
                    assertThat(container.path("resources").path("requests").path("memory").asText()).as(where).isNotBlank();
                }
            }
        }
    }

    @Test
    void theDeploymentRunsTwoReplicasWithProbesOnTheHealthEndpoints() throws IOException {
        JsonNode deployment = object("Deployment", "b24-connector");
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
        assertThat(container.path("envFrom").findValuesAsText("name"))
                .containsExactlyInAnyOrder("b24-connector-config", "b24-connector-secrets");
    }

    @Test
    void theStopGraceOfThePodCoversTheJobsGraceAndTheHttpDrain() throws IOException {
        JsonNode deployment = object("Deployment", "b24-connector");
        long pod = deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds")
                .asLong(30); // Kubernetes' default when unset
        long jobs = io.quarkus.runtime.configuration.DurationConverter.parseDuration(
                object("ConfigMap", "b24-connector-config").path("data").path("JOBS_SHUTDOWN_GRACE").asText()).toSeconds();
        java.util.Properties app = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        long http = io.quarkus.runtime.configuration.DurationConverter.parseDuration(
                app.getProperty("quarkus.shutdown.timeout")).toSeconds();

        // past it comes SIGKILL: a job still running is then taken over only after its lease, and counts as a crash
        assertThat(pod).as("terminationGracePeriodSeconds").isGreaterThanOrEqualTo(http + jobs + 5);
    }

    @Test
    void configMapAndSecretHoldExactlyTheVariablesOfEnvExample() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher variable = Pattern.compile("(?m)^#? ?([A-Z][A-Z0-9_]+)=").matcher(Files.readString(Path.of(".env.example")));
        while (variable.find()) {
            documented.add(variable.group(1));
        }
        documented.removeAll(NOT_IN_CLUSTER);
        Set<String> configured = new TreeSet<>();
        object("ConfigMap", "b24-connector-config").path("data").fieldNames().forEachRemaining(configured::add);
        Set<String> secret = new TreeSet<>();
        object("Secret", "b24-connector-secrets").path("stringData").fieldNames().forEachRemaining(secret::add);

        assertThat(configured).as("a variable in both the ConfigMap and the Secret").doesNotContainAnyElementsOf(secret);
        configured.addAll(secret);
        assertThat(configured).isEqualTo(documented);
    }

    private static JsonNode object(String kind, String name) throws IOException {
        return allObjects().stream().filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/"));
    }

    private static List<JsonNode> allObjects() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).readAll().stream().filter(n -> !n.isNull()).forEach(objects::add);
                }
            }
        }
        return objects;
    }
}
