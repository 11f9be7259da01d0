package ru.b24connector.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checked process file: per deal pipeline and stage, what happens when a deal enters the stage and when it
 * leaves it by itself. Stage ids are the portal's full ids ({@code C3:NEW}; plain {@code NEW} in pipeline 0).
 *
 * @param source     file the definition came from (for messages)
 * @param labels     human names of deal fields, used when a required field is missing
 * @param pipelines  by pipeline (category) id
 * @param unresolved pipelines named {@code reclamation} while B24_RECLAMATION_CATEGORY_ID is unset: inactive
 */
public record ProcessDefinition(String name, String source, WorkCalendar calendar, Map<String, String> labels,
                                Map<String, Directory> directories, Map<Integer, Pipeline> pipelines,
                                List<String> unresolved) {

    /** Pipeline the deal's {@code CATEGORY_ID} belongs to, if the process covers it. */
    public Optional<Pipeline> pipeline(int categoryId) {
        return Optional.ofNullable(pipelines.get(categoryId));
    }

    /** Rules of a stage, if the process has any for it. */
    public Optional<Stage> stage(int categoryId, String stageId) {
        return pipeline(categoryId).map(p -> p.stages().get(stageId));
    }

    /** Label of a deal field for people: its name in {@code fields:}, else the field code. */
    public String label(String field) {
        return labels.getOrDefault(field, field);
    }

    /** Deal field whose value picks a user, with a fallback for values not in the map. */
    public record Directory(String field, Map<String, Long> users, long fallback) {
    }

    public record Pipeline(int categoryId, Map<String, Stage> stages) {
    }

    /**
     * @param id           full stage id
     * @param title        name of the stage for people (defaults to the id)
     * @param required     fields that must be filled to enter the stage
     * @param decisionEmail when set, entering the stage asks the mail feature to send the dealer the decision
     */
    public record Stage(String id, String title, List<TaskRule> tasks, List<String> required, List<Notice> notices,
                        List<Move> moves, DecisionEmail decisionEmail) {
    }

    /** Deal fields holding the decision ({@code approved}, {@code rejected}, {@code partial}) and its comment. */
    public record DecisionEmail(String decisionField, String commentField) {
    }

    /**
     * A task created when a deal enters the stage, or {@code delay} later if the deal is still in the stage then;
     * {@code key} is unique within the stage.
     */
    public record TaskRule(String key, String title, String description, Responsible responsible,
                           Deadline deadline, Duration delay) {
    }

    /** An im.notify.system.add message to a user when a deal enters the stage. */
    public record Notice(Responsible to, String message) {
    }

    /**
     * A move the service makes by itself, to stage {@code to}: when {@code when} holds; when all tasks the stage
     * created are completed (and {@code when}, if given, holds then); or after {@code after} in the stage.
     */
    public record Move(String to, Condition when, boolean whenTasksDone, Duration after) {

        /** Fires on any update of the deal while {@code when} holds. */
        public boolean onCondition() {
            return when != null && !whenTasksDone;
        }

        public String trigger() {
            if (whenTasksDone) {
                return "when all tasks of the stage are completed" + (when == null ? "" : " and " + when);
            }
            return when != null ? "when " + when : "after " + readable(after) + " in the stage";
        }

        private static String readable(Duration d) {
            return d.toMinutes() % 1440 == 0 ? d.toDays() + "d" : d.toMinutes() % 60 == 0 ? d.toHours() + "h"
                    : d.toMinutes() + "m";
        }
    }

    /** Who: the deal's assignee, the assignee's supervisor, a fixed user, or a directory lookup. */
    public record Responsible(Kind kind, long userId, String directory) {

        public enum Kind { ASSIGNEE, SUPERVISOR, USER, DIRECTORY }

        @Override
        public String toString() {
            return switch (kind) {
                case ASSIGNEE -> "assignee";
                case SUPERVISOR -> "supervisor";
                case USER -> "user:" + userId;
                case DIRECTORY -> "directory:" + directory;
            };
        }
    }

    /** A deadline after entering the stage, in calendar time or in working hours of the process calendar. */
    public record Deadline(Duration amount, boolean working) {
    }
}
