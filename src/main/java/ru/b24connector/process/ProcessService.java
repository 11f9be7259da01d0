package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.analytics.ClaimFacts;
import ru.b24connector.history.Mover;
import ru.b24connector.history.StageMoves;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobSkipped;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TaskSpec;
import ru.b24connector.tasks.TrackedTask;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The process engine. Every way of learning about a deal (an event, the scan of modified deals, a move of our
 * own) ends in {@link #observe(JsonNode)}: it compares the deal's stage with the one stored, and on a change
 * stores the new stage and queues the stage's work in the same transaction. The work runs as a job keyed by the
 * transition number, so duplicate or reordered events never repeat it.
 */
@ApplicationScoped
public class ProcessService {

    /** Job type of the engine's work: entering a stage, moving a deal. */
    static final String JOB = "process";

    @Inject
    ProcessDefinitions definitions;

    @Inject
    PortalClient portal;

    @Inject
    DealStateRepository states;

    @Inject
    JobQueue queue;

    @Inject
    TaskService tasks;

    @Inject
    StageRules rules;

    @Inject
    Clock clock;

    @Inject
    Event<DealerDecisionRequested> decisions;

    @Inject
    ru.b24connector.events.OwnWrites ownWrites;

    @Inject
    ProcessScan scans;

    @Inject
    ProcessDryRuns dryRuns;

    @Inject
    StageMoves moves;

    @Inject
    ClaimFacts facts;

    /**
     * A job's instruction: enter (carry out stage rules), move (change the deal's stage to {@code arg}), task
     * (create the delayed task {@code arg}), tasks-done (pick the move after the stage's tasks). {@code reason} of a
     * move is what the deal's history shows for it (null: already recorded, as the required-field bounce).
     */
    record Work(String action, long dealId, int transition, String arg, String reason) {

        Work(String action, long dealId, int transition, String arg) {
            this(action, dealId, transition, arg, null);
        }
    }

    /** Reads the deal from the portal and acts on a stage change; a deleted deal ends the job as skipped. */
    public void observeDeal(long dealId) {
        observe(need(dealId));
    }

    /**
     * Acts on the deal as the portal returned it ({@code crm.deal.get}, or a {@code crm.deal.list} row with all
     * fields): records a stage change and queues its work, or checks the stage's {@code when} moves.
     */
    public void observe(JsonNode deal) {
        ProcessDefinition definition = definitions.current();
        int category = DealFields.category(deal);
        long dealId = DealFields.id(deal);
        if (definition.pipeline(category).isEmpty()) {
            if (QuarkusTransaction.requiringNew().call(() -> states.findById(dealId)) != null) {
                throw new JobSkipped("deal " + dealId + " moved out of the process's pipelines (now in " + category + ")");
            }
            return; // never in a process pipeline: nothing to do, nothing to report
        }
        String stage = DealFields.stage(deal);
        Instant modified = instant(deal.path("DATE_MODIFY").asText(""));
        Optional<DealState> unchanged = QuarkusTransaction.requiringNew()
                .call(() -> record(deal, dealId, category, stage, modified));
        unchanged.ifPresent(state -> definition.stage(category, stage)
                .ifPresent(s -> requestDueMove(s, deal, state.stay)));
    }

    /** Stores what was seen; returns the state when the deal is (still) in the stored stage, for its moves. */
    private Optional<DealState> record(JsonNode deal, long dealId, int category, String stage, Instant modified) {
        Instant now = clock.instant();
        if (states.insertFirst(dealId, category, stage, modified, now)) {
            Log.infof("Deal %d seen in stage %s for the first time", dealId, stage);
            enqueueEntry(dealId, 1, null, stage);
            facts.seen(deal, dealId, category, stage, moves.seenFirst(deal, dealId, category, stage));
            return Optional.empty();
        }
        DealState row = states.lock(dealId).orElseThrow();
        if (modified != null && row.dealModifiedAt != null && modified.isBefore(row.dealModifiedAt)) {
            Log.debugf("Deal %d: read older than the last one seen (reordered event); ignored", dealId);
            return Optional.empty();
        }
        row.dealModifiedAt = modified != null ? modified : row.dealModifiedAt;
        row.updatedAt = now;
        if (row.stageId.equals(stage)) {
            facts.seen(deal, dealId, category, stage, row.enteredAt);
            return Optional.of(row);
        }
        Log.infof("Deal %d moved %s -> %s", dealId, row.stageId, stage);
        row.previousStageId = row.stageId;
        row.previousStay = row.stay;
        row.stageId = stage;
        row.categoryId = category;
        row.transitions++;
        row.stay = row.transitions;
        row.enteredAt = now;
        enqueueEntry(dealId, row.transitions, row.previousStageId, stage);
        facts.seen(deal, dealId, category, stage,
                moves.seenChange(deal, dealId, category, row.previousStageId, stage, row.transitions));
        return Optional.empty();
    }

    /** Carries out the rules of a stage the deal entered (job); skipped when the deal has moved on since. */
    void enter(long dealId, int transition) {
        DealState state = QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
        if (state == null || state.stay != transition) {
            Log.infof("Deal %d: stage entry #%d is no longer current; its rules are skipped", dealId, transition);
            return;
        }
        JsonNode deal = need(dealId);
        if (!DealFields.stage(deal).equals(state.stageId)) {
            observe(deal); // moved again before we got here: record that change instead
            return;
        }
        ProcessDefinition definition = definitions.current();
        Optional<StagePlan> found = rules.plan(definition, deal, state.previousStageId, state.stageId,
                state.enteredAt);
        if (found.isEmpty()) {
            return;
        }
        StagePlan plan = found.get();
        String key = dealId + ":" + transition;
        if (plan.guarded()) {
            guard(plan, key, transition);
            return;
        }
        for (StagePlan.Task task : plan.tasks()) {
            if (task.notBefore() != null && task.notBefore().isAfter(clock.instant())) {
                queue.enqueue(JOB, "task:" + key + ":" + task.key(), new Work("task", dealId, transition, task.key()),
                        task.notBefore(), null);
            } else {
                createTask(plan, transition, task);
            }
        }
        for (int i = 0; i < plan.notices().size(); i++) {
            StagePlan.Notice notice = plan.notices().get(i);
            once(key + ":notify:" + i, () -> notify(notice));
        }
        if (plan.decision() != null) {
            once(key + ":decision", () -> decisions.fire(new DealerDecisionRequested(dealId, plan.to(),
                    plan.decision().decision(), plan.decision().comment(), "process:decision:" + key)));
        }
        definition.stage(state.categoryId, state.stageId).ifPresent(s -> requestDueMove(s, deal, transition));
    }

    /** Creates a task of a stage some time after the deal entered it (job), if the deal is still there. */
    void createDelayedTask(long dealId, int transition, String taskKey) {
        DealState state = QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
        if (state == null || state.stay != transition) {
            Log.infof("Deal %d left the stage; delayed task %s not created", dealId, taskKey);
            return;
        }
        rules.plan(definitions.current(), need(dealId), state.previousStageId, state.stageId, state.enteredAt)
                .filter(plan -> !plan.guarded())
                .ifPresent(plan -> plan.tasks().stream().filter(t -> t.key().equals(taskKey)).findFirst()
                        .ifPresent(task -> createTask(plan, transition, task)));
    }

    /** All tasks of the stage are completed: the first tasks-done move whose condition holds (job). */
    void tasksDone(long dealId, int transition) {
        DealState state = QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
        if (state == null || state.stay != transition) {
            return;
        }
        Optional<ProcessDefinition.Stage> stage = definitions.current().stage(state.categoryId, state.stageId);
        Optional<JsonNode> deal = stage.isPresent() ? Optional.of(need(dealId)) : Optional.empty();
        deal.ifPresent(d -> stage.get().moves().stream()
                .filter(m -> m.whenTasksDone() && (m.when() == null || m.when().holds(d))).findFirst()
                .ifPresent(m -> requestMove(dealId, transition, m.to(), reason(m))));
    }

    private void createTask(StagePlan plan, int transition, StagePlan.Task task) {
        tasks.create(new TaskSpec(taskKey(plan.dealId(), transition, task.key()), source(plan.to(), task.key()),
                plan.dealId(), task.title(), task.description(), task.responsibleId(), task.deadline(), null));
    }

    /** Required fields are empty: tell the manager, note it on the deal, and move the deal back. */
    private void guard(StagePlan plan, String key, int transition) {
        Log.infof("Deal %d cannot enter %s, empty: %s", plan.dealId(), plan.to(), plan.missing());
        StagePlan.Notice notice = plan.notices().get(0);
        once(key + ":guard-notify", () -> notify(notice));
        once(key + ":guard-comment", () -> portal.call("crm.timeline.comment.add", Map.of("fields", Map.of(
                "ENTITY_ID", plan.dealId(), "ENTITY_TYPE", "deal", "COMMENT", notice.message()))));
        if (plan.backTo() != null) {
            // stored first, so the echo of our own move back is not taken for a new entry into the old stage
            QuarkusTransaction.requiringNew().run(() -> states.lock(plan.dealId())
                    .filter(row -> row.stay == transition && row.previousStay != null)
                    .ifPresent(row -> {
                        row.stageId = plan.backTo();
                        row.previousStageId = plan.to();
                        row.transitions++;
                        // back in the earlier stay: its open tasks still move the deal on when completed
                        row.stay = row.previousStay;
                        row.previousStay = transition;
                        row.enteredAt = clock.instant();
                        row.updatedAt = row.enteredAt;
                        moves.recordOwn(plan.dealId(), row.categoryId, plan.to(), plan.backTo(), Mover.SERVICE,
                                "required:" + String.join(", ", plan.missing()));
                        // its own key: the stay that follows may still make one automatic move of its own
                        queue.enqueue(JOB, "move-back:" + plan.dealId() + ":" + transition,
                                new Work("move", plan.dealId(), row.stay, plan.backTo()));
                    }));
        }
    }

    /** Sets the deal's stage (job), unless the deal changed stage since the move was decided. */
    void move(long dealId, int transition, String to, String reason) {
        DealState state = QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
        if (state == null || state.stay != transition) {
            Log.infof("Deal %d: move to %s dropped, the deal changed stage meanwhile", dealId, to);
            return;
        }
        if (reason != null) {
            moves.expect(dealId, to, Mover.SERVICE, reason); // the change seen next is ours, with its rule
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("STAGE_ID", to);
        Instant sentAt = clock.instant();
        portal.call("crm.deal.update", Map.of("id", dealId, "fields", fields));
        ownWrites.recorded(dealId, sentAt); // its ONCRMDEALUPDATE is an echo: observed just below
        Log.infof("Deal %d moved to %s by the process", dealId, to);
        observeDeal(dealId); // our own change: recorded now, not when (or if) its event arrives
    }

    /** Moves the deal when all tasks its current stage created are completed. */
    void onTaskCompleted(@Observes TaskService.TaskCompleted done) {
        if (done.dedupKey() == null || !done.dedupKey().startsWith("process:")) {
            return;
        }
        String[] parts = done.dedupKey().split(":", 4);
        if (parts.length < 4 || !parts[1].matches("\\d+") || !parts[2].matches("\\d+")) {
            return; // not a stage task (see taskKey)
        }
        long dealId = Long.parseLong(parts[1]);
        int transition = Integer.parseInt(parts[2]);
        DealState state = QuarkusTransaction.requiringNew().call(() -> states.findById(dealId));
        if (state == null || state.stay != transition) {
            return;
        }
        definitions.current().stage(state.categoryId, state.stageId)
                .filter(stage -> stage.moves().stream().anyMatch(ProcessDefinition.Move::whenTasksDone))
                .filter(stage -> stage.tasks().stream().allMatch(t -> tasks.findByKey(taskKey(dealId, transition,
                        t.key())).filter(row -> row.status == TrackedTask.Status.COMPLETED).isPresent()))
                // the deal is read (for the moves' conditions) in a job, not in the task update's thread
                .ifPresent(stage -> queue.enqueue(JOB, "tasks-done:" + dealId + ":" + transition,
                        new Work("tasks-done", dealId, transition, null)));
    }

    /**
     * Finds deals the portal's events missed (modified since the last scan, in the process's pipelines) and deals
     * due for a time-in-stage move. Per-deal failures are logged and do not stop the scan.
     */
    public void scan() {
        scans.run();
    }

    /**
     * What entering a stage would do for a deal, read from the portal; writes nothing.
     *
     * @param stage stage to imagine the deal entering (short or full id); empty: its current stage
     */
    public DryRun dryRun(ProcessDefinition definition, long dealId, Optional<String> stage) {
        return dryRuns.dryRun(definition, dealId, stage);
    }

    /** Result of a dry run: {@code plan} is null when the process has no rules for the stage. */
    public record DryRun(long dealId, String currentStage, String stage, boolean pipelineCovered, StagePlan plan) {

        /** "deal N in stage S: these tasks, these moves, these notifications would happen". */
        public String summary() {
            return ProcessDryRuns.summary(this);
        }
    }

    private void requestDueMove(ProcessDefinition.Stage stage, JsonNode deal, int transition) {
        stage.moves().stream().filter(m -> m.onCondition() && m.when().holds(deal)).findFirst()
                .ifPresent(m -> requestMove(DealFields.id(deal), transition, m.to(), reason(m)));
    }

    /** One automatic move per stay in a stage: the first rule that fires wins, repeats are no-ops. */
    void requestMove(long dealId, int transition, String to, String why) {
        if (queue.enqueue(JOB, "move:" + dealId + ":" + transition, new Work("move", dealId, transition, to, why))
                .isPresent()) {
            Log.infof("Deal %d will move to %s (%s)", dealId, to, why);
        }
    }

    /** What the history says of a move of the process: {@code timeout:<ISO duration>} or {@code rule:<trigger>}. */
    static String reason(ProcessDefinition.Move move) {
        return move.after() != null && move.when() == null && !move.whenTasksDone() ? "timeout:" + move.after()
                : "rule:" + move.trigger();
    }

    /** Key: deal, change number, from and to; the same change seen twice queues nothing new. */
    private void enqueueEntry(long dealId, int transition, String from, String to) {
        queue.enqueue(JOB, "enter:" + dealId + ":" + transition + ":" + (from == null ? "" : from) + ">" + to,
                new Work("enter", dealId, transition, to));
    }


    private void notify(StagePlan.Notice notice) {
        portal.call("im.notify.system.add", Map.of("USER_ID", notice.userId(), "MESSAGE", notice.message()));
    }

    /** Runs a side effect unless it is recorded as done; records it after. */
    private void once(String key, Runnable effect) {
        String effectKey = "process:" + key;
        if (QuarkusTransaction.requiringNew().call(() -> states.effectDone(effectKey))) {
            return;
        }
        effect.run();
        QuarkusTransaction.requiringNew().run(() -> states.recordEffect(effectKey, clock.instant()));
    }

    Optional<JsonNode> fetch(long dealId) {
        try {
            return Optional.of(portal.call("crm.deal.get", Map.of("id", dealId)));
        } catch (PortalException.Rejected e) {
            if (e.getMessage().contains("Not found")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The deal a job works on; deleted in the portal, the job ends skipped (there is nothing left to do). */
    private JsonNode need(long dealId) {
        return fetch(dealId).orElseThrow(() -> new JobSkipped("deal " + dealId + " was deleted in the portal"));
    }

    static String taskKey(long dealId, int transition, String taskKey) {
        return "process:" + dealId + ":" + transition + ":" + taskKey;
    }

    private static String source(String stage, String taskKey) {
        String source = "process:" + stage + "/" + taskKey;
        return source.length() <= 64 ? source : source.substring(0, 64);
    }

    private static Instant instant(String portalTime) {
        try {
            return portalTime.isEmpty() ? null : OffsetDateTime.parse(portalTime).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
