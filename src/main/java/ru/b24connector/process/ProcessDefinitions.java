package ru.b24connector.process;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.ConfigurationProblem;
import ru.b24connector.portal.PortalConfig;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The process in force: read from PROCESS_FILE (or the shipped process A) at startup. An invalid file stops the
 * start with one message naming the file, the line and the problem.
 */
@ApplicationScoped
public class ProcessDefinitions {

    @Inject
    ProcessConfig config;

    @Inject
    PortalConfig portal;

    private volatile ProcessDefinition current;

    void onStart(@Observes StartupEvent event) {
        current = loadOrStop(config.file(), portal);
        Log.infof("Process '%s' from %s: pipelines %s", current.name(), current.source(), current.pipelines().keySet());
        if (!current.unresolved().isEmpty()) {
            Log.warnf("Process '%s': the 'reclamation' pipeline is inactive until B24_RECLAMATION_CATEGORY_ID is set",
                    current.name());
        }
    }

    /** Reads the process file; a problem becomes the one-line configuration error that stops startup. */
    static ProcessDefinition loadOrStop(Optional<Path> file, PortalConfig portal) {
        try {
            return ProcessFileLoader.load(file, portal.reclamationCategoryId(), portal.timeZone());
        } catch (ProcessFileException e) {
            throw new ConfigurationProblem("PROCESS_FILE: " + e.getMessage());
        }
    }

    /** The process in force. */
    public ProcessDefinition current() {
        ProcessDefinition d = current;
        if (d == null) {
            d = loadOrStop(config.file(), portal);
            current = d;
        }
        return d;
    }

    /** The text of the process file in force (PROCESS_FILE, or the shipped process); empty when unreadable now. */
    public Optional<String> currentText() {
        try {
            return Optional.of(ProcessFileLoader.read(config.file()));
        } catch (ProcessFileException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** Checks a candidate file against this deployment's settings, without putting it in force. */
    public ProcessDefinition parse(String yaml, String source) {
        return ProcessFileLoader.parse(yaml, source, portal.reclamationCategoryId(), portal.timeZone());
    }

    /**
     * The reclamation pipeline was provisioned in the portal (B24_RECLAMATION_CATEGORY_ID unset): load the process
     * file again with its id, so its rules apply without a restart.
     */
    public void adoptReclamationCategory(int categoryId) {
        if (portal.reclamationCategoryId().isPresent() || current().unresolved().isEmpty()) {
            return;
        }
        try {
            current = ProcessFileLoader.load(config.file(), Optional.of(categoryId), portal.timeZone());
            Log.infof("Process '%s': the 'reclamation' pipeline is now category %d", current.name(), categoryId);
        } catch (ProcessFileException e) {
            throw new ConfigurationProblem("PROCESS_FILE: " + e.getMessage());
        }
    }

    /** The file's stages of the reclamation pipeline as if it were category {@code categoryId}. */
    public ProcessDefinition withReclamationCategory(int categoryId) {
        try {
            return ProcessFileLoader.load(config.file(), Optional.of(categoryId), portal.timeZone());
        } catch (ProcessFileException e) {
            throw new ConfigurationProblem("PROCESS_FILE: " + e.getMessage());
        }
    }

    /** Puts a definition in force; tests switch processes without restarting. */
    void use(ProcessDefinition definition) {
        current = definition;
    }
}
