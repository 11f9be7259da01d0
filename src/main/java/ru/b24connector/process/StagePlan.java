package ru.b24connector.process;

import java.time.Instant;
import java.util.List;

/**
 * What entering a stage means for one deal: either the required-field guard (missing fields, move back), or the
 * tasks, notifications, decision e-mail and automatic moves of the stage. Both the engine and the dry run use it.
 *
 * @param from    stage the deal came from; null when first seen
 * @param missing required fields that are empty (labels); non-empty means the guard applies
 * @param backTo  stage the guard moves the deal back to; null when there is none
 * @param decision the dealer decision e-mail to ask for; null for none
 */
public record StagePlan(long dealId, String from, String to, String stageTitle, List<String> missing, String backTo,
                        List<Task> tasks, List<Notice> notices, Decision decision, List<Move> moves) {

    public boolean guarded() {
        return !missing.isEmpty();
    }

    /** A task that would be created; {@code notBefore} is set for a task created some time after entry. */
    public record Task(String key, String title, String description, long responsibleId, Instant deadline,
                       Instant notBefore) {
    }

    /** A notification that would be sent. */
    public record Notice(long userId, String message) {
    }

    /** The decision and comment as the deal holds them, for the dealer e-mail. */
    public record Decision(String decision, String comment) {
    }

    /** An automatic move of the stage; {@code due} when it would happen right now. */
    public record Move(String to, String trigger, boolean due) {
    }
}
