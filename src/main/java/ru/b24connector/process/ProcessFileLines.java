package ru.b24connector.process;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where in a process file each key stands, so that every problem is reported with its line, and Jackson's
 * messages turned into words an administrator reads.
 */
final class ProcessFileLines {

    private final String source;
    private final Map<String, Integer> lines = new HashMap<>();

    ProcessFileLines(String source) {
        this.source = source;
    }

    /** Line of every key and value, by JSON pointer ({@code /pipelines/0/stages/NEW/tasks/1/deadline}). */
    void remember(String yaml, YAMLFactory yamlFactory) throws IOException {
        try (JsonParser p = yamlFactory.createParser(yaml)) {
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                JsonPointer pointer = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY
                        ? p.getParsingContext().getParent() == null ? JsonPointer.empty()
                        : p.getParsingContext().getParent().pathAsPointer()
                        : p.getParsingContext().pathAsPointer();
                lines.putIfAbsent(pointer.toString(), p.currentTokenLocation().getLineNr());
            }
        }
    }

    ProcessFileException fail(String pointer, String problem) {
        String p = pointer;
        Integer line = lines.get(p);
        while (line == null && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
            line = lines.get(p);
        }
        return new ProcessFileException(source, line == null ? 0 : line, problem);
    }

    /** The line of the key the error is about (Jackson's own location may point past its value). */
    ProcessFileException fail(String pointer, JsonLocation location, String problem) {
        Integer line = lines.get(pointer);
        return line != null ? new ProcessFileException(source, line, problem) : fail(location, problem);
    }

    static String pointerOf(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            String part = r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex());
            pointer.append('/').append(part.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    ProcessFileException fail(JsonLocation location, String problem) {
        return new ProcessFileException(source, location == null ? 0 : Math.max(location.getLineNr(), 0), problem);
    }

    static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String shortMessage(JsonMappingException e) {
        String m = e.getOriginalMessage();
        if (m.startsWith("Cannot deserialize value of type")) {
            String type = m.replaceAll("Cannot deserialize value of type `([^`]+)`.*", "$1");
            String simple = type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
            return "has the wrong type (expected " + friendly(simple) + ")";
        }
        if (m.startsWith("Cannot construct instance of")) {
            return "has the wrong shape (expected a mapping of keys, or a list, as documented)";
        }
        return m.replaceAll("\\s+", " ");
    }

    private static String friendly(String type) {
        return switch (type) {
            case "java.lang.Long", "Long", "long" -> "a number";
            case "java.lang.String", "String" -> "text";
            case "java.lang.Boolean", "Boolean", "boolean" -> "true or false";
            case "java.util.List", "List", "java.util.ArrayList", "ArrayList" -> "a list";
            default -> type.startsWith("ProcessFile.") || type.contains("Map") ? "a mapping of keys" : type;
        };
    }
}
