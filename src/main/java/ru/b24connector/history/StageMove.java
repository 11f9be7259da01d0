package ru.b24connector.history;

import java.time.Instant;

/**
 * One entry of a deal into a stage: from where, when, until when (null: still there), who or what moved it and why,
 * and whether the service saw it happen ({@code SEEN}) or read it later from the portal's history ({@code HISTORY}).
 */
public record StageMove(long id, long dealId, int categoryId, String fromStage, String toStage, Instant movedAt,
                        Instant leftAt, Mover mover, Long userId, String reason, String source,
                        Long historyId) {

    public static final String SEEN = "SEEN";
    public static final String HISTORY = "HISTORY";
}
