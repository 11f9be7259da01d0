package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Dry runs of the process on a deal: what entering a stage would do, read from the portal; writes nothing. */
@ApplicationScoped
class ProcessDryRuns {

    @Inject
    ProcessService process;

    @Inject
    DealStateRepository states;

    @Inject
    StageRules rules;

    @Inject
    Clock clock;

    ProcessService.DryRun dryRun(ProcessDefinition definition, long dealId, Optional<String> stage) {
        JsonNode deal = process.fetch(dealId)
                .orElseThrow(() -> new IllegalArgumentException("deal " + dealId + " not found"));
        int category = DealFields.category(deal);
        String current = DealFields.stage(deal);
        String target = stage.map(s -> fullStageId(definition, category, s)).orElse(current);
        DealState state = QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
        boolean stays = target.equals(current);
        String from = !stays ? current : state == null ? null
                : state.stageId.equals(current) ? state.previousStageId : state.stageId;
        Instant enteredAt = stays && state != null && state.stageId.equals(current) ? state.enteredAt : clock.instant();
        Optional<StagePlan> plan = rules.plan(definition, deal, from, target, enteredAt);
        return new ProcessService.DryRun(dealId, current, target, definition.pipeline(category).isPresent(),
                plan.orElse(null));
    }

    /** "deal N in stage S: these tasks, these moves, these notifications would happen". */
    static String summary(ProcessService.DryRun run) {
        long dealId = run.dealId();
        String stage = run.stage();
        StagePlan plan = run.plan();
        if (!run.pipelineCovered()) {
            return "deal " + dealId + ": its pipeline is not in the process; nothing would happen";
        }
        if (plan == null) {
            return "deal " + dealId + " in stage " + stage + ": the process has no rules for this stage";
        }
        if (plan.guarded()) {
            return "deal " + dealId + " in stage " + stage + ": required fields empty (" + String.join(", ",
                    plan.missing()) + "); it would be moved back" + (plan.backTo() == null ? " (nowhere: no previous stage)"
                    : " to " + plan.backTo()) + ", the manager notified and a timeline comment added";
        }
        List<String> parts = new ArrayList<>();
        parts.add(plan.tasks().size() + " task(s)"
                + (plan.tasks().isEmpty() ? "" : ": " + plan.tasks().stream().map(StagePlan.Task::title).toList()));
        parts.add(plan.notices().size() + " notification(s)");
        if (plan.decision() != null) {
            parts.add("the dealer decision e-mail (" + plan.decision().decision() + ")");
        }
        parts.add("moves: " + (plan.moves().isEmpty() ? "none" : plan.moves().stream()
                .map(m -> "to " + m.to() + " " + m.trigger() + (m.due() ? " (now)" : "")).toList()));
        return "deal " + dealId + " in stage " + stage + ": " + String.join("; ", parts);
    }

    private static String fullStageId(ProcessDefinition definition, int category, String stage) {
        String prefixed = "C" + category + ":" + stage;
        return category > 0 && !stage.contains(":") && definition.stage(category, stage).isEmpty() ? prefixed : stage;
    }
}
