package ru.b24connector.robots;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TaskSpec;
import ru.b24connector.tasks.TrackedTask;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code create_task}: a task on the deal for a user, tracked for escalation; returns {@code task_id}. */
@ApplicationScoped
public class CreateTaskRobot implements Robot {

    @Inject
    TaskService tasks;

    @Inject
    Clock clock;

    @Override
    public String code() {
        return "create_task";
    }

    @Override
    public RobotDefinition definition() {
        LinkedHashMap<String, RobotDefinition.Property> in = new LinkedHashMap<>();
        in.put("title", RobotDefinition.Property.of("Название задачи", "Task title", "string", true));
        in.put("description", RobotDefinition.Property.of("Описание", "Description", "text", false));
        in.put("responsible", RobotDefinition.Property.of("Ответственный", "Responsible", "user", true));
        in.put("deadline_hours", RobotDefinition.Property.of("Срок, часов", "Deadline, hours", "int", false)
                .withDefault("24"));
        LinkedHashMap<String, RobotDefinition.Property> out = new LinkedHashMap<>();
        out.put("task_id", RobotDefinition.Property.of("ID задачи", "Task ID", "int", false));
        return new RobotDefinition(Map.of("ru", "Создать задачу (коннектор)", "en", "Create task (connector)"),
                Map.of("ru", "Задача по сделке с контролем срока и эскалацией руководителю",
                        "en", "A deal task whose deadline is watched and escalated to the supervisor"), in, out);
    }

    @Override
    public RobotResult run(RobotCall call) {
        long dealId = call.dealId();
        String title = call.required("title");
        long responsible = call.user("responsible");
        int hours = call.integer("deadline_hours", 1, 24 * 365, 24);
        TrackedTask task = tasks.create(new TaskSpec("robot:create_task:" + call.eventToken(), "robot:create_task",
                dealId, title, call.optional("description").orElse(""), responsible,
                clock.instant().plus(Duration.ofHours(hours)), null));
        return RobotResult.of(Map.of("task_id", task.taskId), "Task " + task.taskId + " created");
    }
}
