package ru.b24connector.tasks;

import java.time.Instant;

/**
 * A task to create on a deal.
 *
 * @param dedupKey      same business fact ⇒ same key ⇒ one task, however often it is asked for
 * @param source        who asks: {@code process:<stage rule>}, {@code robot:create_task}, ...
 * @param dealId        deal it is linked to ({@code UF_CRM_TASK = D_<id>}); null for none
 * @param deadline      null for none
 * @param createdBy     portal user shown as creator; null: the webhook/app user
 */
public record TaskSpec(String dedupKey, String source, Long dealId, String title, String description,
                       long responsibleId, Instant deadline, Long createdBy) {
}
