package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.tasks.TaskService;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The engine's periodic scan: deals the portal's events missed (modified since the last scan, in the process's
 * pipelines) and deals due for a time-in-stage move. Per-deal failures are logged and do not stop the scan.
 */
@ApplicationScoped
class ProcessScan {

    @Inject
    ProcessDefinitions definitions;

    @Inject
    ProcessService process;

    @Inject
    PortalClient portal;

    @Inject
    DealStateRepository states;

    @Inject
    TaskService tasks;

    @Inject
    ProcessConfig config;

    @Inject
    Clock clock;

    void run() {
        ProcessDefinition definition = definitions.current();
        if (definition.pipelines().isEmpty()) {
            return;
        }
        scanModified(definition);
        moveOverdue(definition);
    }

    private void scanModified(ProcessDefinition definition) {
        Instant now = clock.instant();
        String since = QuarkusTransaction.requiringNew().call(() -> states.cursor("deals-modified"))
                .orElseGet(() -> tasks.portalTime(now.minus(config.scanLookback())));
        List<JsonNode> deals = portal.list("crm.deal.list", Map.of(
                "filter", Map.of(">DATE_MODIFY", since, "@CATEGORY_ID", List.copyOf(definition.pipelines().keySet())),
                "select", List.of("*", "UF_*"), "order", Map.of("DATE_MODIFY", "ASC")));
        String cursor = since;
        boolean failed = false;
        for (JsonNode deal : deals) {
            try {
                process.observe(deal);
            } catch (RuntimeException e) {
                failed = true; // the cursor stays before this deal, so the next scan sees it again
                Log.warnf("Process scan: deal %s failed: %s", deal.path("ID").asText(), e.getMessage());
            }
            if (!failed && !deal.path("DATE_MODIFY").asText("").isEmpty()) {
                cursor = deal.path("DATE_MODIFY").asText();
            }
        }
        String newCursor = cursor;
        QuarkusTransaction.requiringNew().run(() -> states.saveCursor("deals-modified", newCursor, now));
        Log.debugf("Process scan: %d modified deal(s) since %s", deals.size(), since);
    }

    private void moveOverdue(ProcessDefinition definition) {
        Instant now = clock.instant();
        for (ProcessDefinition.Pipeline pipeline : definition.pipelines().values()) {
            for (ProcessDefinition.Stage stage : pipeline.stages().values()) {
                for (ProcessDefinition.Move move : stage.moves()) {
                    if (move.after() == null) {
                        continue;
                    }
                    List<DealState> due = QuarkusTransaction.requiringNew().call(() ->
                            states.inStageSince(pipeline.categoryId(), stage.id(), now.minus(move.after())));
                    for (DealState state : due) {
                        try {
                            process.requestMove(state.dealId, state.stay, move.to(), ProcessService.reason(move));
                        } catch (RuntimeException e) {
                            Log.warnf("Process scan: deal %d failed: %s", state.dealId, e.getMessage());
                        }
                    }
                }
            }
        }
    }
}
