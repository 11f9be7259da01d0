package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A condition on deal fields; all tests must hold. A test is one of: a value (equal), a list (any of),
 * {@code filled} / {@code empty}, or {@code not: value}.
 */
public record Condition(Map<String, Test> tests) {

    /** One field's test. */
    public record Test(Op op, List<String> values) {

        public enum Op { EQUALS, ANY_OF, FILLED, EMPTY, NOT }

        boolean holds(JsonNode value) {
            String text = DealFields.text(value);
            return switch (op) {
                case EQUALS, ANY_OF -> values.contains(text);
                case FILLED -> !DealFields.isEmpty(value);
                case EMPTY -> DealFields.isEmpty(value);
                case NOT -> !values.contains(text);
            };
        }

        @Override
        public String toString() {
            return switch (op) {
                case EQUALS -> "= " + values.get(0);
                case ANY_OF -> "in " + values;
                case FILLED -> "is filled";
                case EMPTY -> "is empty";
                case NOT -> "!= " + values.get(0);
            };
        }
    }

    public boolean holds(JsonNode deal) {
        return tests.entrySet().stream().allMatch(t -> t.getValue().holds(deal.get(t.getKey())));
    }

    @Override
    public String toString() {
        return tests.entrySet().stream().map(t -> t.getKey() + " " + t.getValue())
                .collect(Collectors.joining(" and "));
    }
}
