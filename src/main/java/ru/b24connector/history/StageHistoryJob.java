package ru.b24connector.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.portal.PortalClient;

import java.util.List;
import java.util.Map;

/**
 * Reads a deal's stage history from the portal ({@code crm.stagehistory.list}, {@code entityTypeId} 2, filtered by
 * {@code OWNER_ID}, paged by {@code start} as every list method: docs api-reference/crm/crm-stage-history-list.md) and
 * merges it into {@link StageMoves}. Queued when the service first sees a deal and when it sees a move late; never on
 * the opening of a page.
 */
@ApplicationScoped
class StageHistoryJob implements JobHandler {

    static final String TYPE = "stage-history";

    /** The job's payload: the deal whose history to read. */
    record Work(long dealId) {
    }

    @Inject
    PortalClient portal;

    @Inject
    StageMoves moves;

    @Inject
    ObjectMapper json;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void handle(Job job) throws Exception {
        long dealId = json.readValue(job.payload, Work.class).dealId();
        List<JsonNode> items = portal.list("crm.stagehistory.list", Map.of("entityTypeId", 2,
                "order", Map.of("ID", "ASC"), "filter", Map.of("OWNER_ID", dealId),
                "select", List.of("ID", "TYPE_ID", "OWNER_ID", "CREATED_TIME", "CATEGORY_ID", "STAGE_SEMANTIC_ID",
                        "STAGE_ID")));
        int added = moves.merge(dealId, items);
        Log.infof("Deal %d: %d stage history entries read, %d moves the service had not seen", dealId, items.size(),
                added);
    }
}
