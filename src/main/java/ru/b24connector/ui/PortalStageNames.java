package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The portal's names of a pipeline's stages, read as one command of a page's batch: {@code crm.status.list} with
 * ENTITY_ID {@code DEAL_STAGE} for the general pipeline and {@code DEAL_STAGE_<id>} for the others
 * (crm/status/crm-status-list.md). Shared by the card, the board and its analytics.
 */
final class PortalStageNames {

    private PortalStageNames() {
    }

    /** Adds the command reading the stages of {@code category} to the page's batch. */
    static void ask(PortalBatch batch, int category) {
        batch.add(key(category), "crm.status.list",
                Map.of("filter", Map.of("ENTITY_ID", category == 0 ? "DEAL_STAGE" : "DEAL_STAGE_" + category)));
    }

    /** Names by stage id from what the batch read for these pipelines; a pipeline not read or refused names nothing. */
    static Map<String, String> of(BatchResult read, Collection<Integer> categories) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int category : categories) {
            if (read.succeeded(key(category))) {
                for (JsonNode s : PortalClient.itemsOf(read.result(key(category)))) {
                    if (!s.path("NAME").asText("").isBlank()) {
                        names.put(s.path("STATUS_ID").asText(), s.path("NAME").asText());
                    }
                }
            }
        }
        return names;
    }

    private static String key(int category) {
        return "stages" + category;
    }
}
