package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A successful portal answer: {@code {"result": ..., "total": N, "next": N, "time": {...}}}.
 *
 * @param result           the {@code result} value (object, array, scalar)
 * @param total            {@code total} of list methods
 * @param next             {@code next} start offset when more pages exist
 * @param operating        {@code time.operating}: seconds this method has used in the current 10-minute window
 * @param operatingResetAt {@code time.operating_reset_at}: unix time when the oldest minute drops out
 * @param duration         {@code time.duration}: seconds the call took (NaN when not reported)
 */
public record PortalAnswer(JsonNode result, OptionalInt total, OptionalInt next, double operating,
                           OptionalLong operatingResetAt, double duration) {

    static PortalAnswer of(JsonNode envelope) {
        JsonNode time = envelope.path("time");
        return new PortalAnswer(envelope.path("result"), intOf(envelope.get("total")), intOf(envelope.get("next")),
                time.path("operating").asDouble(0), longOf(time.get("operating_reset_at")),
                time.path("duration").asDouble(Double.NaN));
    }

    static OptionalInt intOf(JsonNode node) {
        return node == null || node.isNull() || !node.canConvertToInt() && !node.isTextual()
                ? OptionalInt.empty() : OptionalInt.of(node.asInt());
    }

    static OptionalLong longOf(JsonNode node) {
        return node == null || node.isNull() ? OptionalLong.empty() : OptionalLong.of(node.asLong());
    }
}
