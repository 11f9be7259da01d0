package ru.b24connector.process;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.ConfigurationProblem;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What startup does with PROCESS_FILE: the default process, a shipped example, a broken file. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ProcessStartupTests {

    @Inject
    PortalConfig portal;

    @Inject
    ProcessDefinitions running;

    @Test
    void withoutProcessFileTheShippedReclamationProcessRuns() {
        assertThat(running.current().name()).isEqualTo("reclamation");
        assertThat(running.current().source()).isEqualTo("classpath:processes/reclamation.yaml");
    }

    @Test
    void aShippedExampleIsChosenByItsClasspathName() {
        ProcessDefinition definition = startWith(Path.of("classpath:processes/examples/follow-ups.yaml"));

        assertThat(definition.name()).isEqualTo("follow-ups");
    }

    @Test
    void aBrokenProcessFileStopsStartupNamingFileLineAndProblem() throws Exception {
        Path file = Files.createTempFile("process", ".yaml");
        Files.writeString(file, """
                name: broken
                pipelines:
                  - category: 4
                    stages:
                      NEW:
                        tasks:
                          - key: call
                            title: Call the client
                            responsible: the boss
                """);

        assertThatThrownBy(() -> startWith(file))
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessage("PROCESS_FILE: process file " + file + ", line 9: 'the boss' is not a responsible: use"
                        + " assignee, supervisor, user:<id> or directory:<name>");
    }

    @Test
    void aMissingProcessFileStopsStartup() {
        assertThatThrownBy(() -> startWith(Path.of("/nonexistent/process.yaml")))
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessageStartingWith("PROCESS_FILE: process file /nonexistent/process.yaml: cannot be read");
    }

    private ProcessDefinition startWith(Path file) {
        return ProcessDefinitions.loadOrStop(Optional.of(file), portal);
    }
}
