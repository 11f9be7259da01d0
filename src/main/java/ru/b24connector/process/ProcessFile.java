package ru.b24connector.process;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process file as written (YAML, kebab-case keys), before its values are checked and resolved into a
 * {@link ProcessDefinition}. docs/process-file.md documents every key.
 */
record ProcessFile(String name, String description, Calendar calendar, Map<String, String> fields,
                   Map<String, Directory> directories, List<Pipeline> pipelines) {

    /** Working calendar for deadlines counted in working hours. */
    record Calendar(String zone, List<String> workDays, String hours, List<String> holidays) {
    }

    /** Responsible picked by the value of a deal field, with a fallback user. */
    record Directory(String field, Map<String, Long> map, Long fallback) {
    }

    /** One deal pipeline: {@code category} is a pipeline id or {@code reclamation} (B24_RECLAMATION_CATEGORY_ID). */
    record Pipeline(String category, LinkedHashMap<String, Stage> stages) {
    }

    record Stage(String title, List<Task> tasks, List<String> required, @JsonProperty("notify") List<Notice> notices, List<Move> moves,
                 DecisionEmail decisionEmail) {
    }

    /** Fields the mail feature reads the decision and its comment from. */
    record DecisionEmail(String decisionField, String commentField) {
    }

    record Task(String key, String title, String description, String responsible, String deadline, String delay) {
    }

    record Notice(String to, String message) {
    }

    /** One of {@code when}, {@code whenTasksDone} (optionally with {@code when}), {@code after}. */
    record Move(String to, Map<String, JsonNode> when, Boolean whenTasksDone, String after) {
    }
}
