package ru.b24connector.escalation;

import java.time.Instant;

/**
 * One action of one level for one task: the payload of an {@code escalation.action} job. Everything the action
 * needs is resolved when the level is reached, so the job does not depend on a later scan.
 *
 * @param supervisorId null when no supervisor is known (supervisor actions are then not queued)
 */
record EscalationStep(EscalationPolicy.Action action, long trackedId, int level, Long taskId, Long dealId,
                      String title, long responsibleId, Long supervisorId, Instant deadline) {

    static final String JOB_TYPE = "escalation.action";

    /** Same task, level and action ⇒ same key ⇒ one job, whatever replica or scan queues it. */
    String dedupKey() {
        return "escalation:" + trackedId + ":" + level + ":" + action.name().toLowerCase(java.util.Locale.ROOT);
    }
}
