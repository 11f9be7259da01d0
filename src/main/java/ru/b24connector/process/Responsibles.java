package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.escalation.SupervisorLookup;
import ru.b24connector.jobs.PermanentJobFailure;
import ru.b24connector.portal.PortalClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a rule's "who" (assignee, supervisor, fixed user, directory lookup) into a portal user id. */
@ApplicationScoped
class Responsibles {

    @Inject
    PortalClient portal;

    @Inject
    SupervisorLookup supervisors;

    long resolve(ProcessDefinition.Responsible who, JsonNode deal, ProcessDefinition definition) {
        return switch (who.kind()) {
            case USER -> who.userId();
            case ASSIGNEE -> assignee(deal);
            case SUPERVISOR -> supervisorOf(assignee(deal));
            case DIRECTORY -> {
                ProcessDefinition.Directory directory = definition.directories().get(who.directory());
                Long user = directory.users().get(DealFields.text(deal.get(directory.field())));
                yield user != null ? user : directory.fallback();
            }
        };
    }

    private static long assignee(JsonNode deal) {
        return DealFields.assignee(deal).orElseThrow(() ->
                new PermanentJobFailure("deal " + DealFields.id(deal) + " has no assignee (ASSIGNED_BY_ID)"));
    }

    /**
     * Head of the user's department, walking up while it is empty or the user themself; without any:
     * ESCALATION_SUPERVISOR_ID, else the user. The same lookup escalation uses.
     */
    long supervisorOf(long userId) {
        return supervisors.resolve(List.of(userId)).getOrDefault(userId, Optional.empty()).orElse(userId);
    }

    private static JsonNode first(JsonNode result) {
        for (JsonNode row : PortalClient.itemsOf(result)) {
            return row;
        }
        return MissingNode.getInstance();
    }
}
