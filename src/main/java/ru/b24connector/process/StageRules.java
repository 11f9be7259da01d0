package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Works out a {@link StagePlan} from the process and the deal as the portal returns it; changes nothing. */
@ApplicationScoped
class StageRules {

    @Inject
    Responsibles responsibles;

    /**
     * The plan for {@code deal} having entered {@code stage} from {@code from} at {@code enteredAt}; empty when the
     * process has no rules for that stage.
     */
    Optional<StagePlan> plan(ProcessDefinition definition, JsonNode deal, String from, String stageId,
                             Instant enteredAt) {
        Optional<ProcessDefinition.Stage> found = definition.stage(DealFields.category(deal), stageId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ProcessDefinition.Stage stage = found.get();
        long dealId = DealFields.id(deal);
        List<String> missing = stage.required().stream().filter(f -> DealFields.isEmpty(deal.get(f)))
                .map(definition::label).toList();
        if (!missing.isEmpty()) {
            String backTo = from != null && !from.equals(stageId) ? from : null;
            long manager = responsibles.resolve(ASSIGNEE, deal, definition);
            String message = guardMessage(deal, stage, missing, backTo, definition);
            return Optional.of(new StagePlan(dealId, from, stageId, stage.title(), missing, backTo, List.of(),
                    List.of(new StagePlan.Notice(manager, message)), null, List.of()));
        }
        List<StagePlan.Task> tasks = new ArrayList<>();
        for (ProcessDefinition.TaskRule rule : stage.tasks()) {
            Instant created = rule.delay() == null ? enteredAt : enteredAt.plus(rule.delay());
            Instant deadline = rule.deadline() == null ? null : definition.calendar()
                    .plus(created, rule.deadline().amount(), rule.deadline().working());
            tasks.add(new StagePlan.Task(rule.key(), DealFields.render(rule.title(), deal),
                    DealFields.render(rule.description(), deal),
                    responsibles.resolve(rule.responsible(), deal, definition), deadline,
                    rule.delay() == null ? null : created));
        }
        List<StagePlan.Notice> notices = stage.notices().stream().map(n -> new StagePlan.Notice(
                responsibles.resolve(n.to(), deal, definition), DealFields.render(n.message(), deal))).toList();
        return Optional.of(new StagePlan(dealId, from, stageId, stage.title(), List.of(), null, List.copyOf(tasks),
                notices, decision(stage.decisionEmail(), deal), moves(stage, deal)));
    }

    /** The stage's automatic moves, each marked due or not for the deal as it is now. */
    static List<StagePlan.Move> moves(ProcessDefinition.Stage stage, JsonNode deal) {
        return stage.moves().stream().map(m -> new StagePlan.Move(m.to(), m.trigger(),
                m.onCondition() && m.when().holds(deal))).toList();
    }

    private static StagePlan.Decision decision(ProcessDefinition.DecisionEmail email, JsonNode deal) {
        return email == null ? null : new StagePlan.Decision(DealFields.text(deal.get(email.decisionField())),
                email.commentField() == null ? "" : DealFields.text(deal.get(email.commentField())));
    }

    private static String guardMessage(JsonNode deal, ProcessDefinition.Stage stage, List<String> missing,
                                       String backTo, ProcessDefinition definition) {
        String title = DealFields.text(deal.get("TITLE"));
        String back = backTo == null ? "" : " Сделка возвращена в стадию "
                + definition.stage(DealFields.category(deal), backTo).map(ProcessDefinition.Stage::title)
                .orElse(backTo) + ".";
        return "Сделка «" + title + "» (#" + DealFields.id(deal) + ") не может перейти в стадию «" + stage.title()
                + "»: не заполнены поля: " + String.join(", ", missing) + "." + back;
    }

    private static final ProcessDefinition.Responsible ASSIGNEE =
            new ProcessDefinition.Responsible(ProcessDefinition.Responsible.Kind.ASSIGNEE, 0, null);
}
