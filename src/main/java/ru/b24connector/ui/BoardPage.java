package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.onec.OneCExchangeQueries;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.process.DealStays;
import ru.b24connector.reclamation.ClaimQueries;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TrackedTask;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Puts the supervisor's board together: open claims by stage, overdue work, what is stuck, and the 30-day chart. */
@ApplicationScoped
public class BoardPage {

    /** Pages of open deals read per opening (50 each), inside the one batch. */
    static final int DEAL_PAGES = 4;
    private static final int CHART_DAYS = 30;

    @Inject
    DealStays stays;

    @Inject
    ClaimQueries claims;

    @Inject
    ru.b24connector.analytics.BoardAnalytics analytics;

    @Inject
    TaskService tasks;

    @Inject
    DecisionMailService mails;

    @Inject
    OneCExchangeQueries onec;

    @Inject
    JobQueue jobs;

    @Inject
    PortalCredentials credentials;

    @Inject
    UiPages pages;

    @Inject
    PortalUsers people;

    @Inject
    Formats f;

    @Inject
    Clock clock;

    /**
     * The board's portal commands: who heads a department, open deals of the process's pipelines, stages. Names of
     * the managers come from {@link PortalUsers} by id (never a page of "all users": {@code user.get} pages by 50).
     */
    PortalBatch commands() {
        PortalBatch batch = PortalBatch.create()
                .add("heads", "department.get", Map.of("UF_HEAD", PortalBatch.ref("me", "ID")));
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("STAGE_SEMANTIC_ID", "P");
        Set<Integer> pipelines = stays.pipelines();
        if (!pipelines.isEmpty()) {
            filter.put("@CATEGORY_ID", List.copyOf(pipelines));
        }
        for (int page = 0; page < DEAL_PAGES; page++) {
            batch.add("deals" + page, "crm.deal.list", Map.of("filter", filter, "order", Map.of("ID", "DESC"),
                    "select", List.of("ID", "TITLE", "STAGE_ID", "CATEGORY_ID", "ASSIGNED_BY_ID", "COMPANY_ID",
                            "DATE_CREATE"), "start", page * PortalClient.PAGE));
        }
        namedCategories().forEach(category -> PortalStageNames.ask(batch, category));
        return batch;
    }

    /** Pipelines whose stage names the board reads: the process's, and those the analytics cover. */
    private Set<Integer> namedCategories() {
        Set<Integer> named = new java.util.TreeSet<>(stays.pipelines());
        named.addAll(analytics.categories());
        return named;
    }

    public BoardView build(BatchResult read, BoardView.Filters filters, Texts t) {
        Map<String, String> stageNames = PortalStageNames.of(read, namedCategories());
        List<JsonNode> deals = new ArrayList<>();
        for (int page = 0; page < DEAL_PAGES; page++) {
            if (read.succeeded("deals" + page)) {
                PortalClient.itemsOf(read.result("deals" + page)).forEach(deals::add);
            }
        }
        List<Long> ids = deals.stream().map(d -> d.path("ID").asLong()).toList();
        Instant scanAt = clock.instant();
        List<TrackedTask> late = tasks.overdue(scanAt, 500);
        java.util.Set<Long> managerIds = new java.util.LinkedHashSet<>();
        deals.forEach(d -> managerIds.add(d.path("ASSIGNED_BY_ID").asLong()));
        late.forEach(task -> managerIds.add(task.responsibleId));
        Map<Long, String> names = people.names(managerIds);
        deals.forEach(d -> stageNames.putIfAbsent(d.path("STAGE_ID").asText(), d.path("STAGE_ID").asText()));
        Map<Long, ClaimQueries.Claim> dealers = claims.ofDeals(ids);
        Map<Long, DealStays.Stay> staysById = stays.of(ids);
        String portalBase = credentials.installation().map(i -> i.domain() == null ? "" : "https://" + i.domain())
                .orElse("");
        Map<String, List<BoardView.Claim>> byStage = new LinkedHashMap<>();
        stageNames.keySet().forEach(s -> byStage.put(s, new ArrayList<>()));
        Instant now = clock.instant();
        int total = 0;
        for (JsonNode d : deals) {
            long id = d.path("ID").asLong();
            String stage = d.path("STAGE_ID").asText();
            long manager = d.path("ASSIGNED_BY_ID").asLong();
            ClaimQueries.Claim claim = dealers.get(id);
            String dealer = claim == null ? "" : claim.request().dealer().companyName() + " (" + claim.inn() + ")";
            if (!matches(filters, manager, dealer, stage)) {
                continue;
            }
            DealStays.Stay stay = staysById.get(id);
            Instant since = stay != null && stay.stageId().equals(stage) ? stay.enteredAt() : null;
            byStage.computeIfAbsent(stage, s -> new ArrayList<>()).add(new BoardView.Claim(id,
                    d.path("TITLE").asText("#" + id), dealer, CardPage.name(names, manager),
                    since == null ? "" : Formats.duration(Duration.between(since, now), t),
                    portalBase + "/crm/deal/details/" + id + "/", pages.nonce()));
            total++;
        }
        List<BoardView.Stage> stages = new ArrayList<>();
        byStage.forEach((id, list) -> {
            if (!list.isEmpty()) {
                stages.add(new BoardView.Stage(id, stageNames.getOrDefault(id, id), list));
            }
        });
        List<CardView.Option> managers = managerIds.stream().filter(id -> id > 0)
                .map(id -> new CardView.Option(id, CardPage.name(names, id)))
                .sorted(java.util.Comparator.comparing(CardView.Option::name)).toList();
        List<BoardView.Choice> stageOptions = new ArrayList<>();
        stageNames.forEach((id, name) -> stageOptions.add(new BoardView.Choice(id, name)));
        Chart chart = chart(t);
        return new BoardView(stages, total, overdue(late, names, filters, t), accepted(), dead(), chart.svg(),
                chart.median(), managers, stageOptions, filters);
    }

    private static boolean matches(BoardView.Filters filters, long manager, String dealer, String stage) {
        if (!filters.manager().isEmpty() && !filters.manager().equals(String.valueOf(manager))) {
            return false;
        }
        if (!filters.stage().isEmpty() && !filters.stage().equals(stage)) {
            return false;
        }
        return filters.dealer().isEmpty()
                || dealer.toLowerCase(Locale.ROOT).contains(filters.dealer().toLowerCase(Locale.ROOT));
    }

    private List<BoardView.Manager> overdue(List<TrackedTask> late, Map<Long, String> names,
                                            BoardView.Filters filters, Texts t) {
        Instant now = clock.instant();
        Map<Long, List<BoardView.Overdue>> byManager = new LinkedHashMap<>();
        for (TrackedTask task : late) {
            if (!filters.manager().isEmpty() && !filters.manager().equals(String.valueOf(task.responsibleId))) {
                continue;
            }
            byManager.computeIfAbsent(task.responsibleId, m -> new ArrayList<>()).add(new BoardView.Overdue(task.title,
                    task.dealId == null ? 0 : task.dealId, f.time(task.deadline),
                    Formats.duration(Duration.between(task.deadline, now), t), task.escalationLevel));
        }
        List<BoardView.Manager> out = new ArrayList<>();
        byManager.forEach((m, list) -> out.add(new BoardView.Manager(CardPage.name(names, m), list)));
        return out;
    }

    private List<BoardView.Waiting> accepted() {
        return claims.waiting(50).stream().map(c -> new BoardView.Waiting(c.request().dealer().companyName() + ", "
                + c.dealerClaimId(), f.time(c.receivedAt()), c.lastError() == null ? "" : c.lastError())).toList();
    }

    private List<BoardView.Waiting> dead() {
        List<Job> dead = QuarkusTransaction.requiringNew().call(() -> jobs.list(Job.Status.DEAD, 50));
        return dead.stream().map(j -> new BoardView.Waiting(j.type + " #" + j.id, f.time(j.updatedAt),
                j.lastError == null ? "" : j.lastError)).toList();
    }

    private record Chart(String svg, String median) {
    }

    private Chart chart(Texts t) {
        LocalDate today = LocalDate.now(clock.withZone(f.zone()));
        List<LocalDate> days = new ArrayList<>();
        for (int i = CHART_DAYS - 1; i >= 0; i--) {
            days.add(today.minusDays(i));
        }
        Instant since = days.get(0).atStartOfDay(f.zone()).toInstant();
        Map<LocalDate, Integer> received = new HashMap<>();
        List<Instant> arrivals = new ArrayList<>(claims.receivedSince(since));
        arrivals.addAll(onec.reclamationsReceivedSince(since));
        arrivals.forEach(a -> received.merge(a.atZone(f.zone()).toLocalDate(), 1, Integer::sum));
        Map<Long, Instant> decisions = mails.firstDecisionSince(since);
        Map<LocalDate, Integer> decided = new HashMap<>();
        decisions.values().forEach(d -> decided.merge(d.atZone(f.zone()).toLocalDate(), 1, Integer::sum));
        Map<Long, ClaimQueries.Claim> decidedClaims = claims.ofDeals(decisions.keySet());
        List<Duration> toDecision = new ArrayList<>();
        decisions.forEach((deal, at) -> {
            ClaimQueries.Claim c = decidedClaims.get(deal);
            if (c != null && c.receivedAt() != null && at.isAfter(c.receivedAt())) {
                toDecision.add(Duration.between(c.receivedAt(), at));
            }
        });
        toDecision.sort(null);
        String median = toDecision.isEmpty() ? t.get("board.nomedian")
                : Formats.duration(toDecision.get(toDecision.size() / 2), t) + " (" + toDecision.size() + ")";
        return new Chart(BoardChart.svg(days, received, decided, t.get("board.received"), t.get("board.decided")),
                median);
    }
}
