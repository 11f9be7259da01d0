package ru.b24connector.portal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Commands for one or more {@code batch} calls. Keys must start with a letter (numeric keys make the portal answer
 * with a JSON array instead of an object). Up to 50 commands go in one call; a longer batch is split, and a
 * {@link Ref} may only point to a command in the same call.
 */
public final class PortalBatch {

    public static final int MAX_COMMANDS = 50;
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** One command: its key, method and parameters. */
    public record Command(String key, String method, Map<String, ?> params) {
        String query() {
            return params.isEmpty() ? method : method + "?" + PhpQuery.encode(params);
        }
    }

    /** {@code $result[key][FIELD]...}: an earlier command's result, substituted by the portal. */
    public record Ref(String key, String expression) {
    }

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private int probeLimit = Integer.MAX_VALUE;
    private boolean waitForBudget = true;

    public static PortalBatch create() {
        return new PortalBatch();
    }

    /** Reference to a value inside the result of command {@code key}, e.g. {@code ref("find", 0, "ID")}. */
    public static Ref ref(String key, Object... path) {
        StringBuilder expression = new StringBuilder("$result[").append(key).append(']');
        for (Object part : path) {
            expression.append('[').append(part).append(']');
        }
        return new Ref(key, expression.toString());
    }

    public PortalBatch add(String key, String method, Map<String, ?> params) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("batch key must start with a letter: " + key);
        }
        if (commands.putIfAbsent(key, new Command(key, method, params)) != null) {
            throw new IllegalArgumentException("duplicate batch key: " + key);
        }
        return this;
    }

    /**
     * For a caller that can send less and keep the rest for later: when the time budgets have no room for this
     * batch now, {@link PortalClient#batch} throws {@link PortalException.NoRoom} instead of waiting in the calling
     * thread, and the probe after a reset may carry at most {@code commandsPerItem} commands of a method (one item).
     */
    public PortalBatch withoutWaitingForBudget(int commandsPerItem) {
        this.waitForBudget = false;
        this.probeLimit = commandsPerItem;
        return this;
    }

    /** How this batch's calls may wait for the time budgets (see {@link #withoutWaitingForBudget}). */
    Billing billing(List<String> billed) {
        return new Billing(billed, waitForBudget, probeLimit);
    }

    public boolean isEmpty() {
        return commands.isEmpty();
    }

    public int size() {
        return commands.size();
    }

    public List<Command> commands() {
        return List.copyOf(commands.values());
    }

    /** Splits into calls of at most 50 commands, keeping every reference within its call. */
    List<List<Command>> chunks() {
        List<List<Command>> chunks = new ArrayList<>();
        List<Command> current = new ArrayList<>();
        Map<String, Integer> chunkOf = new LinkedHashMap<>();
        for (Command command : commands.values()) {
            if (current.size() == MAX_COMMANDS) {
                chunks.add(current);
                current = new ArrayList<>();
            }
            int index = chunks.size();
            for (Ref ref : refsIn(command.params())) {
                Integer target = chunkOf.get(ref.key());
                if (target == null || target != index) {
                    throw new IllegalArgumentException("command '" + command.key() + "' refers to '" + ref.key()
                            + "', which is not an earlier command of the same 50-command call");
                }
            }
            chunkOf.put(command.key(), index);
            current.add(command);
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return Collections.unmodifiableList(chunks);
    }

    private static List<Ref> refsIn(Object value) {
        List<Ref> refs = new ArrayList<>();
        collect(value, refs);
        return refs;
    }

    private static void collect(Object value, List<Ref> refs) {
        if (value instanceof Ref ref) {
            refs.add(ref);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, refs));
        } else if (value instanceof Iterable<?> list) {
            list.forEach(v -> collect(v, refs));
        }
    }
}
