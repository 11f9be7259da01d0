package ru.b24connector.escalation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds each user's supervisor: the head ({@code UF_HEAD}) of the user's department, walking up {@code PARENT}
 * while the head is empty or the user themself; {@code ESCALATION_SUPERVISOR_ID} when none is found. One call
 * resolves a whole scan's users: one {@code batch} of {@code user.get} and one read of the department tree.
 */
@ApplicationScoped
public class SupervisorLookup {

    private record Department(long id, long parent, long head) {
    }

    @Inject
    PortalClient portal;

    @Inject
    EscalationConfig config;

    /** Supervisor per user id; empty when neither a department head nor the fallback is known. */
    public Map<Long, Optional<Long>> resolve(Collection<Long> userIds) {
        Map<Long, Optional<Long>> supervisors = new HashMap<>();
        if (userIds.isEmpty()) {
            return supervisors;
        }
        PortalBatch batch = PortalBatch.create();
        for (long user : new HashSet<>(userIds)) {
            batch.add("user" + user, "user.get", Map.of("ID", user));
        }
        BatchResult users = portal.batch(batch).waitIfLimited(); // a refused read is not "in no department"
        Map<Long, List<Long>> departmentsOf = new HashMap<>();
        for (long user : new HashSet<>(userIds)) {
            List<Long> departments = new ArrayList<>();
            if (users.succeeded("user" + user)) {
                for (JsonNode row : PortalClient.itemsOf(users.result("user" + user))) {
                    row.path("UF_DEPARTMENT").forEach(d -> departments.add(d.asLong()));
                }
            } else {
                Log.warnf("Escalation: user %d not readable in the portal (%s); using the fallback supervisor",
                        user, users.error("user" + user).map(Throwable::getMessage).orElse("no result"));
            }
            departmentsOf.put(user, departments);
        }
        Map<Long, Department> tree = departmentsOf.values().stream().allMatch(List::isEmpty)
                ? Map.of() : departments();
        for (long user : new HashSet<>(userIds)) {
            Optional<Long> head = headAbove(user, departmentsOf.get(user), tree);
            supervisors.put(user, head.isPresent() ? head : config.supervisorId());
            if (head.isEmpty()) {
                Log.debugf("Escalation: no department head above user %d; fallback supervisor %s", user,
                        config.supervisorId().map(String::valueOf).orElse("not set"));
            }
        }
        return supervisors;
    }

    private Map<Long, Department> departments() {
        Map<Long, Department> tree = new HashMap<>();
        for (JsonNode row : portal.list("department.get", Map.of())) {
            long id = row.path("ID").asLong();
            tree.put(id, new Department(id, row.path("PARENT").asLong(0), row.path("UF_HEAD").asLong(0)));
        }
        return tree;
    }

    private static Optional<Long> headAbove(long user, List<Long> departments, Map<Long, Department> tree) {
        for (long start : departments) {
            Set<Long> seen = new HashSet<>(); // a broken tree with a cycle must not loop forever
            for (Department d = tree.get(start); d != null && seen.add(d.id()); d = tree.get(d.parent())) {
                if (d.head() > 0 && d.head() != user) {
                    return Optional.of(d.head());
                }
            }
        }
        return Optional.empty();
    }
}
