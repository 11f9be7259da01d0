package ru.b24connector.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import ru.b24connector.process.ProcessDefinition.Deadline;
import ru.b24connector.process.ProcessDefinition.Move;
import ru.b24connector.process.ProcessDefinition.Notice;
import ru.b24connector.process.ProcessDefinition.Responsible;
import ru.b24connector.process.ProcessDefinition.Stage;
import ru.b24connector.process.ProcessDefinition.TaskRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks a process file. Every problem names the file and its line: Jackson's YAML parser gives the
 * line of syntax and type errors, and a first pass over the tokens remembers the line of every key so that
 * errors found while checking values (an unknown stage, a bad duration) can name theirs too.
 */
public final class ProcessFileLoader {

    /** The shipped reclamation process (process A), used when PROCESS_FILE is unset. */
    public static final String DEFAULT_RESOURCE = "processes/reclamation.yaml";

    private static final String CLASSPATH = "classpath:";

    // a key written twice (two "NEW:" stages) is an error, not a silent overwrite
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML)
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(m|h|d|w)(\\s+working)?");
    private static final Pattern STAGE = Pattern.compile("(C\\d+:)?[A-Za-z0-9_]+");

    private final String source;
    private final Optional<Integer> reclamationCategory;
    private final ZoneId defaultZone;
    private final ProcessFileLines errors;
    private WorkCalendar calendar;

    private ProcessFileLoader(String source, Optional<Integer> reclamationCategory, ZoneId defaultZone) {
        this.source = source;
        this.reclamationCategory = reclamationCategory;
        this.defaultZone = defaultZone;
        this.errors = new ProcessFileLines(source);
    }

    /**
     * Reads the file at {@code file} ({@code classpath:<resource>} for a file shipped in the application, e.g.
     * {@code classpath:processes/examples/follow-ups.yaml}), or the shipped process A when empty.
     */
    public static ProcessDefinition load(Optional<Path> file, Optional<Integer> reclamationCategory,
                                         ZoneId defaultZone) {
        return parse(read(file), name(file), reclamationCategory, defaultZone);
    }

    /** The text of the process file at {@code file} (see {@link #load}), unparsed. */
    public static String read(Optional<Path> file) {
        String name = name(file);
        if (name.startsWith(CLASSPATH)) {
            String resource = name.substring(CLASSPATH.length());
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ProcessFileException(name, 0, "no such file in the application");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            return Files.readString(file.get());
        } catch (IOException e) {
            throw new ProcessFileException(name, 0, "cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static String name(Optional<Path> file) {
        return file.map(Path::toString).orElse(CLASSPATH + DEFAULT_RESOURCE);
    }

    /**
     * Checks a process file's text.
     *
     * @param source              name used in error messages
     * @param reclamationCategory pipeline meant by {@code category: reclamation}; empty: such pipelines inactive
     * @throws ProcessFileException naming the file, the line and the problem
     */
    public static ProcessDefinition parse(String yaml, String source, Optional<Integer> reclamationCategory,
                                          ZoneId defaultZone) {
        return new ProcessFileLoader(source, reclamationCategory, defaultZone).parse(yaml);
    }

    private ProcessDefinition parse(String yaml) {
        ProcessFile file;
        try {
            errors.remember(yaml, YAML);
            file = MAPPER.readValue(yaml, ProcessFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw errors.fail(ProcessFileLines.pointerOf(e), e.getLocation(), "unknown key '" + e.getPropertyName() + "' (expected one of "
                    + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw errors.fail(ProcessFileLines.pointerOf(e), e.getLocation(), "'" + ProcessFileLines.pathOf(e) + "' " + ProcessFileLines.shortMessage(e));
        } catch (JsonProcessingException e) {
            throw errors.fail(e.getLocation(), "is not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String: cannot happen
        }
        if (file == null) {
            throw new ProcessFileException(source, 1, "is empty");
        }
        return check(file);
    }

    private ProcessDefinition check(ProcessFile file) {
        String name = file.name() == null || file.name().isBlank() ? "process" : file.name();
        calendar = WorkCalendarParser.parse(file.calendar(), defaultZone, errors);
        Map<String, ProcessDefinition.Directory> directories = new LinkedHashMap<>();
        if (file.directories() != null) {
            file.directories().forEach((key, d) -> {
                String at = "/directories/" + key;
                if (d == null || d.field() == null || d.field().isBlank()) {
                    throw fail(at, "directory '" + key + "' needs 'field' (the deal field whose value picks the user)");
                }
                if (d.fallback() == null || d.fallback() <= 0) {
                    throw fail(at, "directory '" + key + "' needs 'fallback' (a portal user id)");
                }
                directories.put(key, new ProcessDefinition.Directory(d.field(),
                        d.map() == null ? Map.of() : Map.copyOf(d.map()), d.fallback()));
            });
        }
        if (file.pipelines() == null || file.pipelines().isEmpty()) {
            throw fail("", "needs at least one entry under 'pipelines'");
        }
        Map<Integer, ProcessDefinition.Pipeline> pipelines = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        for (int i = 0; i < file.pipelines().size(); i++) {
            String at = "/pipelines/" + i;
            ProcessFile.Pipeline p = file.pipelines().get(i);
            if (p == null || p.category() == null || p.category().isBlank()) {
                throw fail(at, "pipeline needs 'category' (a pipeline id, or 'reclamation')");
            }
            if (p.stages() == null || p.stages().isEmpty()) {
                throw fail(at, "pipeline '" + p.category() + "' needs 'stages'");
            }
            Optional<Integer> category = category(p.category(), at + "/category");
            // stages are checked even when the pipeline is inactive, so a bad file never passes for lack of an id
            ProcessDefinition.Pipeline pipeline = pipeline(category.orElse(1), p, at, directories);
            if (category.isEmpty()) {
                unresolved.add(p.category());
            } else if (pipelines.putIfAbsent(category.get(), pipeline) != null) {
                throw fail(at + "/category", "pipeline " + category.get() + " is described twice");
            }
        }
        return new ProcessDefinition(name, source, calendar, file.fields() == null ? Map.of() : Map.copyOf(file.fields()),
                directories, pipelines, unresolved);
    }

    private Optional<Integer> category(String value, String at) {
        if ("reclamation".equals(value)) {
            return reclamationCategory;
        }
        try {
            int id = Integer.parseInt(value.trim());
            if (id >= 0) {
                return Optional.of(id);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw fail(at, "category must be a pipeline id (0 or more) or 'reclamation', got '" + value + "'");
    }

    private ProcessDefinition.Pipeline pipeline(int category, ProcessFile.Pipeline p, String at,
                                                Map<String, ProcessDefinition.Directory> directories) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String stageName : p.stages().keySet()) {
            if (!STAGE.matcher(stageName).matches()) {
                throw fail(at + "/stages/" + stageName, "stage '" + stageName
                        + "' is not a stage id (letters, digits and _, e.g. NEW or C3:NEW)");
            }
            ids.put(stageName, stageId(category, stageName));
        }
        Map<String, Stage> stages = new LinkedHashMap<>();
        p.stages().forEach((stageName, s) -> {
            String sat = at + "/stages/" + stageName;
            ProcessFile.Stage stage = s == null ? new ProcessFile.Stage(null, null, null, null, null, null) : s;
            List<TaskRule> tasks = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            for (int t = 0; t < size(stage.tasks()); t++) {
                ProcessFile.Task task = stage.tasks().get(t);
                String tat = sat + "/tasks/" + t;
                if (task == null || task.key() == null || !task.key().matches("[A-Za-z0-9_-]+")) {
                    throw fail(tat, "task needs 'key' (letters, digits, - and _; unique in the stage)");
                }
                if (!keys.add(task.key())) {
                    throw fail(tat + "/key", "task key '" + task.key() + "' is used twice in stage " + stageName);
                }
                if (task.title() == null || task.title().isBlank()) {
                    throw fail(tat, "task '" + task.key() + "' needs 'title'");
                }
                tasks.add(new TaskRule(task.key(), task.title(), task.description(),
                        responsible(task.responsible() == null ? "assignee" : task.responsible(),
                                tat + "/responsible", directories),
                        task.deadline() == null ? null : deadline(task.deadline(), tat + "/deadline"),
                        task.delay() == null ? null : calendarDuration(task.delay(), tat + "/delay")));
            }
            List<Notice> notices = new ArrayList<>();
            for (int n = 0; n < size(stage.notices()); n++) {
                ProcessFile.Notice notice = stage.notices().get(n);
                String nat = sat + "/notify/" + n;
                if (notice == null || notice.message() == null || notice.message().isBlank()) {
                    throw fail(nat, "notification needs 'message'");
                }
                notices.add(new Notice(responsible(notice.to() == null ? "assignee" : notice.to(), nat + "/to",
                        directories), notice.message()));
            }
            List<Move> moves = new ArrayList<>();
            for (int m = 0; m < size(stage.moves()); m++) {
                moves.add(move(stage.moves().get(m), sat + "/moves/" + m, ids));
            }
            List<String> required = stage.required() == null ? List.of() : List.copyOf(stage.required());
            if (tasks.isEmpty() && moves.stream().anyMatch(Move::whenTasksDone)) {
                throw fail(sat + "/moves", "stage " + stageName + " has a move 'when-tasks-done' but creates no tasks");
            }
            String title = stage.title() == null || stage.title().isBlank() ? stageName : stage.title();
            stages.put(ids.get(stageName), new Stage(ids.get(stageName), title, List.copyOf(tasks), required,
                    List.copyOf(notices), List.copyOf(moves), decisionEmail(stage.decisionEmail(), sat + "/decision-email")));
        });
        return new ProcessDefinition.Pipeline(category, stages);
    }

    private ProcessDefinition.DecisionEmail decisionEmail(ProcessFile.DecisionEmail e, String at) {
        if (e == null) {
            return null;
        }
        if (e.decisionField() == null || e.decisionField().isBlank()) {
            throw fail(at, "decision-email needs 'decision-field' (the deal field holding approved/rejected/partial)");
        }
        return new ProcessDefinition.DecisionEmail(e.decisionField(), e.commentField());
    }

    private Move move(ProcessFile.Move m, String at, Map<String, String> ids) {
        if (m == null || m.to() == null) {
            throw fail(at, "move needs 'to' (a stage of this pipeline)");
        }
        String to = ids.get(m.to());
        if (to == null) {
            to = ids.entrySet().stream().filter(e -> e.getValue().equals(m.to())).map(Map.Entry::getValue)
                    .findFirst().orElseThrow(() -> fail(at + "/to", "move to '" + m.to()
                            + "': no such stage in this pipeline (declare it under 'stages', e.g. " + m.to()
                            + ": {})"));
        }
        boolean tasksDone = Boolean.TRUE.equals(m.whenTasksDone());
        int triggers = (m.when() != null && !tasksDone ? 1 : 0) + (tasksDone ? 1 : 0) + (m.after() != null ? 1 : 0);
        if (triggers != 1) {
            throw fail(at, "move to '" + m.to() + "' needs exactly one of 'when', 'when-tasks-done: true' (optionally"
                    + " with 'when'), 'after'");
        }
        Duration after = m.after() == null ? null : calendarDuration(m.after(), at + "/after");
        return new Move(to, m.when() == null ? null : condition(m.when(), at + "/when"),
                Boolean.TRUE.equals(m.whenTasksDone()), after);
    }

    private Condition condition(Map<String, JsonNode> when, String at) {
        if (when.isEmpty()) {
            throw fail(at, "'when' needs at least one field");
        }
        Map<String, Condition.Test> tests = new LinkedHashMap<>();
        when.forEach((field, value) -> tests.put(field, test(field, value, at + "/" + field)));
        return new Condition(tests);
    }

    private Condition.Test test(String field, JsonNode value, String at) {
        if (value == null || value.isNull()) {
            throw fail(at, "condition on " + field + " needs a value, a list, 'filled', 'empty' or {not: value}");
        }
        if (value.isArray()) {
            List<String> values = new ArrayList<>();
            value.forEach(v -> values.add(v.asText()));
            return new Condition.Test(Condition.Test.Op.ANY_OF, values);
        }
        if (value.isObject()) {
            if (value.size() == 1 && value.has("not") && value.get("not").isValueNode()) {
                return new Condition.Test(Condition.Test.Op.NOT, List.of(value.get("not").asText()));
            }
            throw fail(at, "condition on " + field + ": the only form with keys is {not: value}");
        }
        String text = value.asText();
        return switch (text) {
            case "filled" -> new Condition.Test(Condition.Test.Op.FILLED, List.of());
            case "empty" -> new Condition.Test(Condition.Test.Op.EMPTY, List.of());
            default -> new Condition.Test(Condition.Test.Op.EQUALS, List.of(text));
        };
    }

    private Responsible responsible(String value, String at, Map<String, ProcessDefinition.Directory> directories) {
        String v = value.trim();
        if (v.equals("assignee")) {
            return new Responsible(Responsible.Kind.ASSIGNEE, 0, null);
        }
        if (v.equals("supervisor")) {
            return new Responsible(Responsible.Kind.SUPERVISOR, 0, null);
        }
        if (v.matches("user:\\d+")) {
            return new Responsible(Responsible.Kind.USER, Long.parseLong(v.substring(5)), null);
        }
        if (v.startsWith("directory:")) {
            String name = v.substring("directory:".length());
            if (!directories.containsKey(name)) {
                throw fail(at, "no directory '" + name + "' under 'directories'");
            }
            return new Responsible(Responsible.Kind.DIRECTORY, 0, name);
        }
        throw fail(at, "'" + value + "' is not a responsible: use assignee, supervisor, user:<id> or directory:<name>");
    }

    private Deadline deadline(String value, String at) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw fail(at, "'" + value + "' is not a duration: use e.g. 30m, 8h, 2d, 1w, or 16h working, 3d working");
        }
        long n = Long.parseLong(m.group(1));
        boolean working = m.group(3) != null;
        Duration amount = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "w" -> working ? null : Duration.ofDays(7 * n);
            // a working day is as long as the calendar's working hours
            default -> working ? calendar.day().multipliedBy(n) : Duration.ofDays(n);
        };
        if (amount == null) {
            throw fail(at, "weeks cannot be counted in working time; use days, e.g. 5d working");
        }
        return new Deadline(amount, working);
    }

    private Duration calendarDuration(String value, String at) {
        Deadline d = deadline(value, at);
        if (d.working()) {
            throw fail(at, "counts calendar time; drop 'working'");
        }
        return d.amount();
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static String stageId(int category, String name) {
        return name.contains(":") || category == 0 ? name : "C" + category + ":" + name;
    }

    private ProcessFileException fail(String pointer, String problem) {
        return errors.fail(pointer, problem);
    }
}
