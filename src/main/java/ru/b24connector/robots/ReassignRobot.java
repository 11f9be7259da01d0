package ru.b24connector.robots;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TrackedTask;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code reassign}: hands a deal and the service's open tasks on it to another manager (vacation, sick leave)
 * and tells both managers; returns {@code moved_tasks}. All portal writes go in one batch call.
 */
@ApplicationScoped
public class ReassignRobot implements Robot {

    @Inject
    PortalClient portal;

    @Inject
    TaskService tasks;

    @Override
    public String code() {
        return "reassign";
    }

    @Override
    public RobotDefinition definition() {
        LinkedHashMap<String, RobotDefinition.Property> in = new LinkedHashMap<>();
        in.put("new_responsible", RobotDefinition.Property.of("Новый ответственный", "New responsible", "user", true));
        LinkedHashMap<String, RobotDefinition.Property> out = new LinkedHashMap<>();
        out.put("moved_tasks", RobotDefinition.Property.of("Передано задач", "Tasks moved", "int", false));
        return new RobotDefinition(Map.of("ru", "Передать сделку с задачами", "en", "Reassign deal with its tasks"),
                Map.of("ru", "Передаёт сделку и её открытые задачи другому менеджеру",
                        "en", "Moves the deal and its open tasks to another manager"), in, out);
    }

    @Override
    public RobotResult run(RobotCall call) {
        long newResponsible = call.user("new_responsible");
        int moved = reassign(call.dealId(), newResponsible);
        return RobotResult.of(Map.of("moved_tasks", moved), "Deal and " + moved + " task(s) moved to user " + newResponsible);
    }

    /**
     * Moves the deal and the service's open tasks on it to {@code newResponsible} and tells both managers, in one
     * batch; the robot and the supervisor's board both hand claims over this way.
     *
     * @return how many tasks moved
     */
    public int reassign(long dealId, long newResponsible) {
        JsonNode deal = portal.call("crm.deal.get", Map.of("id", dealId));
        long previous = deal.path("ASSIGNED_BY_ID").asLong();
        String title = deal.path("TITLE").asText("#" + dealId);
        List<TrackedTask> open = tasks.openForDeal(dealId);

        PortalBatch batch = PortalBatch.create()
                .add("deal", "crm.deal.update", Map.of("id", dealId, "fields", Map.of("ASSIGNED_BY_ID", newResponsible)));
        for (TrackedTask task : open) {
            batch.add("task" + task.taskId, "tasks.task.update",
                    Map.of("taskId", task.taskId, "fields", Map.of("RESPONSIBLE_ID", newResponsible)));
        }
        String link = "[URL=/crm/deal/details/" + dealId + "/]" + title + "[/URL]";
        batch.add("notifyNew", "im.notify.system.add", Map.of("USER_ID", newResponsible,
                "MESSAGE", "Вам передана сделка " + link + " и задач: " + open.size()));
        if (previous > 0 && previous != newResponsible) {
            batch.add("notifyOld", "im.notify.system.add", Map.of("USER_ID", previous,
                    "MESSAGE", "Сделка " + link + " передана другому менеджеру"));
        }
        var result = portal.batch(batch).waitIfLimited(); // a refused task move is retried, not skipped
        result.result("deal"); // the deal must have moved; a failure here is retried
        int moved = 0;
        for (TrackedTask task : open) {
            if (result.succeeded("task" + task.taskId)) {
                tasks.recordResponsible(task.taskId, newResponsible);
                moved++;
            }
        }
        return moved;
    }
}
