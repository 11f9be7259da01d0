package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedMap;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * What the portal posts when a user opens a placement: {@code DOMAIN}, {@code LANG} in the query string;
 * {@code AUTH_ID}, {@code AUTH_EXPIRES}, {@code member_id}, {@code APPLICATION_TOKEN}, {@code PLACEMENT},
 * {@code PLACEMENT_OPTIONS} (a JSON string) in the body. Nothing here is trusted until the portal confirms it.
 */
public record FrameRequest(String authId, long authExpires, String memberId, String applicationToken,
                           String placement, String placementOptions, String domain, String lang) {

    static FrameRequest of(MultivaluedMap<String, String> form, String domain, String lang) {
        String expires = form.getFirst("AUTH_EXPIRES");
        long seconds;
        try {
            seconds = expires == null ? 3600 : Long.parseLong(expires.trim());
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        return new FrameRequest(blankToNull(form.getFirst("AUTH_ID")), seconds, blankToNull(form.getFirst("member_id")),
                blankToNull(form.getFirst("APPLICATION_TOKEN")), blankToNull(form.getFirst("PLACEMENT")),
                blankToNull(form.getFirst("PLACEMENT_OPTIONS")), domain, lang);
    }

    /** The entity id a detail tab was opened for ({@code PLACEMENT_OPTIONS.ID}). */
    OptionalLong entityId(ObjectMapper json) {
        if (placementOptions == null) {
            return OptionalLong.empty();
        }
        try {
            JsonNode id = json.readTree(placementOptions).path("ID");
            String text = id.asText("");
            return text.matches("[1-9][0-9]{0,17}") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String toString() {
        return "FrameRequest[" + placement + ", member " + memberId + "]"; // AUTH_ID stays out of logs
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
