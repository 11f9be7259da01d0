package ru.b24connector.escalation;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TaskSpec;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Carries out one escalation action in the portal: a system notification, the supervisor's task (created once
 * through {@link TaskService}, key {@code escalation:<trackedId>:<level>}) or a comment on the deal.
 */
@ApplicationScoped
class EscalationActionHandler implements JobHandler {

    static final String TASK_SOURCE = "escalation";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig portalConfig;

    @Inject
    TaskService tasks;

    @Inject
    EscalationConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Override
    public String type() {
        return EscalationStep.JOB_TYPE;
    }

    @Override
    public void handle(Job job) throws Exception {
        EscalationStep step = json.readValue(job.payload, EscalationStep.class);
        switch (step.action()) {
            case NOTIFY_RESPONSIBLE -> notify(step.responsibleId(), "Просрочена ваша задача " + taskLink(step)
                    + dealPart(step) + ": срок был " + when(step) + ". Руководитель уведомлён.");
            case NOTIFY_SUPERVISOR -> notify(step.supervisorId(), "Просрочена задача " + taskLink(step)
                    + dealPart(step) + ", ответственный — сотрудник #" + step.responsibleId()
                    + ", срок был " + when(step) + ".");
            case SUPERVISOR_TASK -> tasks.create(new TaskSpec("escalation:" + step.trackedId() + ":" + step.level(),
                    TASK_SOURCE, step.dealId(), "Просроченная задача: " + step.title(),
                    "Задача #" + step.taskId() + dealPart(step) + " просрочена (срок был " + when(step)
                            + "). Ответственный — сотрудник #" + step.responsibleId()
                            + ". Разберитесь и при необходимости передайте работу другому менеджеру.",
                    step.supervisorId(), clock.instant().plus(config.supervisorTaskDeadline()), null));
            case DEAL_COMMENT -> {
                if (step.dealId() != null) {
                    portal.call("crm.timeline.comment.add", Map.of("fields", Map.of(
                            "ENTITY_ID", step.dealId(), "ENTITY_TYPE", "deal",
                            "COMMENT", "Эскалация (уровень " + step.level() + "): задача «" + step.title() + "» (#"
                                    + step.taskId() + ") просрочена на " + late(step) + "."
                                    + (step.supervisorId() == null ? ""
                                    : " Руководитель (сотрудник #" + step.supervisorId() + ") уведомлён."))));
                }
            }
        }
    }

    private void notify(long userId, String message) {
        portal.call("im.notify.system.add", Map.of("USER_ID", userId, "MESSAGE", message));
    }

    private static String taskLink(EscalationStep step) {
        return "[URL=/company/personal/user/" + step.responsibleId() + "/tasks/task/view/" + step.taskId() + "/]«"
                + step.title() + "»[/URL]";
    }

    private static String dealPart(EscalationStep step) {
        return step.dealId() == null ? "" : " по сделке #" + step.dealId();
    }

    private String when(EscalationStep step) {
        return WHEN.format(step.deadline().atZone(portalConfig.timeZone()));
    }

    private String late(EscalationStep step) {
        Duration late = Duration.between(step.deadline(), clock.instant());
        return late.toHours() >= 1 ? late.toHours() + " ч" : Math.max(late.toMinutes(), 0) + " мин";
    }
}
