package ru.b24connector.process;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Read-only: which stage the process engine last saw a deal in and since when (time in stage, for the pages). */
@ApplicationScoped
public class DealStays {

    /** A deal's current stay: stage, the stage before, since when, and how many stage changes were acted on. */
    public record Stay(long dealId, int categoryId, String stageId, String previousStageId, Instant enteredAt,
                       int transitions, Instant updatedAt) {
    }

    @Inject
    DealStateRepository states;

    @Inject
    ProcessDefinitions definitions;

    public Optional<Stay> of(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> states.findByIdOptional(dealId).map(DealStays::stay));
    }

    public Map<Long, Stay> of(Collection<Long> dealIds) {
        if (dealIds.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<Long, Stay> out = new LinkedHashMap<>();
            states.list("dealId in ?1", dealIds).forEach(s -> out.put(s.dealId, stay(s)));
            return out;
        });
    }

    /** Pipelines (deal categories) the process in force covers. */
    public java.util.Set<Integer> pipelines() {
        return definitions.current().pipelines().keySet();
    }

    /** The stage's title in the process file, if the process names it. */
    public Optional<String> stageTitle(int categoryId, String stageId) {
        return definitions.current().stage(categoryId, stageId).map(ProcessDefinition.Stage::title)
                .filter(t -> t != null && !t.isBlank());
    }

    /** The shortest {@code after} move of the stage in the process file: how long a claim may stay there. */
    public Optional<java.time.Duration> stageLimit(int categoryId, String stageId) {
        return definitions.current().stage(categoryId, stageId).flatMap(s -> s.moves().stream()
                .map(ProcessDefinition.Move::after).filter(java.util.Objects::nonNull).min(java.util.Comparator.naturalOrder()));
    }

    private static Stay stay(DealState s) {
        return new Stay(s.dealId, s.categoryId, s.stageId, s.previousStageId, s.enteredAt, s.transitions, s.updatedAt);
    }
}
