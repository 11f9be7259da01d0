package ru.b24connector.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueries;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.onec.OneCODataClient;
import ru.b24connector.onec.OneCPull;
import ru.b24connector.onec.OneCPullProgress;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.portal.PortalGovernor;
import ru.b24connector.portal.PortalHealth;
import ru.b24connector.registration.HandlerRegistrar;
import ru.b24connector.ui.Texts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gathers the overview from the feature services; computes nothing of its own beyond display. */
@ApplicationScoped
public class OverviewData {

    /** A dependency's line: up or down since when, why, and the jobs waiting for it. */
    public record DependencyRow(String name, boolean up, String since, String reason, long waiting) {
    }

    /** The 1C pull: configured or not, progress per entity set, and the watermarks. */
    public record OneC(boolean configured, List<Map<String, Object>> sets, List<Map<String, Object>> watermarks) {
    }

    public record Overview(String portalMode, boolean portalUp, String portalState, BudgetChart chart,
                           Map<Job.Status, Long> jobs, long deadCount, String oldestQueued, List<DependencyRow> dependencies,
                           List<JobRow> dead, Map<String, Long> mail, OneC onec, HandlerRegistrar.Status registration,
                           List<ActionLog.Entry> actions) {
    }

    @Inject
    PortalCredentials credentials;

    @Inject
    PortalHealth health;

    @Inject
    PortalGovernor governor;

    @Inject
    DependencyState dependencies;

    @Inject
    JobQueue jobs;

    @Inject
    JobQueries queries;

    @Inject
    DecisionMailService mail;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCPullProgress progress;

    @Inject
    OneCPull pull;

    @Inject
    HandlerRegistrar registrar;

    @Inject
    ActionLog actions;

    @Inject
    ConsolePages pages;

    Overview build() {
        Texts t = pages.texts();
        String mode = credentials.oauthMode() ? t.get("con.portal.oauth")
                : credentials.configured() ? t.get("con.portal.webhook") : t.get("con.portal.none");
        DependencyState.Outage outage = dependencies.outage(Dependency.PORTAL);
        PortalHealth.State last = health.state();
        var block = health.block();
        boolean up = block.isEmpty() && outage == null && (last == null || last.reachable());
        String state = block.isPresent() ? t.get("con.portal.blocked") + " " + pages.time(block.get().since())
                + "; " + t.get("con.portal.nextprobe") + " " + pages.time(block.get().nextProbe())
                : outage != null ? t.get("con.down") + " " + pages.time(outage.since()) + ": " + Redaction.text(outage.reason())
                : last == null ? t.get("con.portal.nocalls")
                : last.reachable() ? t.get("con.portal.answered") + " " + pages.time(last.at())
                : t.get("con.portal.failed") + " " + pages.time(last.at()) + ": " + Redaction.text(last.lastError());
        BudgetChart chart = BudgetChart.of(governor.load(), pages::time, t.get("con.bucket"), t.get("con.reset"),
                t.get("con.blocked"));
        Map<String, Long> waiting = jobs.waitingCounts();
        List<DependencyRow> deps = new ArrayList<>();
        for (Dependency d : Dependency.values()) {
            DependencyState.Outage o = dependencies.outage(d);
            deps.add(new DependencyRow(d.label(), o == null, o == null ? "" : pages.time(o.since()),
                    o == null ? "" : Redaction.text(o.reason()), waiting.getOrDefault(d.label(), 0L)));
        }
        String oldest = queries.oldestDueSince().map(pages::age).orElse("—");
        List<JobRow> dead = queries.list(Job.Status.DEAD, null, 10).stream().map(j -> JobRow.of(j, pages)).toList();
        OneC onec = new OneC(odata.configured(), Redaction.values(progress.views()), Redaction.values(pull.watermarks()));
        Map<Job.Status, Long> counts = jobs.countByStatus();
        return new Overview(mode, up, state, chart, counts, counts.get(Job.Status.DEAD), oldest, deps, dead, mail.outboxCounts(), onec,
                registrar.status(), actions.recent(null, 10));
    }
}
