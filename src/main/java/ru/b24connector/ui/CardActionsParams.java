package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;

/** Reads a stored click's parameters. */
final class CardActionsParams {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CardActionsParams() {
    }

    static JsonNode read(UiAction click) {
        try {
            return JSON.readTree(click.params);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
