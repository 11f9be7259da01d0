package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.escalation.EscalationConfig;
import ru.b24connector.jobs.PermanentJobFailure;
import ru.b24connector.portal.PortalClient;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a rule's "who" (assignee, supervisor, fixed user, directory lookup) into a portal user id. */
@ApplicationScoped
class Responsibles {

    @Inject
    PortalClient portal;

    @Inject
    EscalationConfig escalation;

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
     * Head of the user's department ({@code UF_HEAD}); when the user heads it themselves, or it has no head, the
     * head of the parent department. Without any: ESCALATION_SUPERVISOR_ID, else the user.
     */
    long supervisorOf(long userId) {
        JsonNode user = first(portal.call("user.get", Map.of("ID", userId)));
        Set<Long> seen = new HashSet<>();
        for (JsonNode dept : user.path("UF_DEPARTMENT")) {
            long departmentId = dept.asLong();
            while (departmentId > 0 && seen.add(departmentId)) {
                JsonNode department = first(portal.call("department.get", Map.of("ID", departmentId)));
                long head = department.path("UF_HEAD").asLong(0);
                if (head > 0 && head != userId) {
                    return head;
                }
                departmentId = department.path("PARENT").asLong(0);
            }
        }
        Optional<Long> fallback = escalation.supervisorId();
        Log.infof("User %d has no department head above them; using %s", userId,
                fallback.isPresent() ? "ESCALATION_SUPERVISOR_ID" : "the user");
        return fallback.orElse(userId);
    }

    private static JsonNode first(JsonNode result) {
        for (JsonNode row : PortalClient.itemsOf(result)) {
            return row;
        }
        return MissingNode.getInstance();
    }
}
