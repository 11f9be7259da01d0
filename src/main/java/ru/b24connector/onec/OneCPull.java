package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.web.InvalidInputException;
import ru.b24connector.web.Problem;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The scheduled pull from 1C's OData interface: counterparties selected by {@code ONEC_COUNTERPARTY_FILTER} (a full
 * scan; catalogs carry no change date, so unchanged DataVersions are skipped) and then reclamation documents dated
 * from the watermark on (with an overlap for back-dated edits). Each page is received in one transaction with one
 * job that applies it as a group, and logged in one line. Pages are read with {@code $top}/{@code $skip} under a stable {@code $orderby};
 * the position is stored after every page, so a run cut off by an outage resumes where it stopped, and each
 * record goes through {@link OneCExchangeLog#receive}, which skips versions already received.
 */
@ApplicationScoped
public class OneCPull {

    /** How far 1C's clock may run ahead of ours: documents dated that far ahead still move the watermark. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(10);

    private static final DateTimeFormatter ODATA_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** What one run did, per entity set. */
    public record Report(Map<String, SetReport> sets) {
    }

    /** Rows read, new versions received, records rejected; {@code error} when the run stopped early. */
    public record SetReport(int pages, int rows, int received, int rejected, boolean complete, String error) {
    }

    @Inject
    OneCODataClient odata;

    @Inject
    OneCConfig config;

    @Inject
    OneCRowReader rowReader;

    @Inject
    OneCPending pending;

    @Inject
    OneCExchangePlan plan;

    @Inject
    OneCExchangeLog log;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    OneCGroups groups;

    @Inject
    OneCWatermarks watermarks;

    @Inject
    OneCPullProgress progress;

    @Inject
    ru.b24connector.jobs.JobsConfig jobsConfig;

    @Inject
    ru.b24connector.jobs.JobQueue jobs;

    /**
     * Pulls both entity sets once. The catalog is read only with {@code ONEC_COUNTERPARTY_FILTER} (without it, only
     * the counterparties documents refer to are read, by key); reclamations wait for a complete catalog scan.
     */
    public Report runOnce() {
        if (!running.compareAndSet(false, true)) {
            throw new AlreadyRunning();
        }
        try {
            return pullBothSets();
        } finally {
            running.set(false);
        }
    }

    /** Whether a pull is running in this replica now. */
    public boolean running() {
        return running.get();
    }

    /** A pull was asked for while one runs in this replica (the scheduled one, or an administrator's). */
    public static final class AlreadyRunning extends IllegalStateException {
        AlreadyRunning() {
            super("a 1C pull is already running in this replica");
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

    private Report pullBothSets() {
        Map<String, SetReport> sets = new LinkedHashMap<>();
        if (plan.configured()) {
            // the exchange plan carries every change, whatever the documents' dates
            sets.put(plan.name(), plan.runOnce());
            return new Report(sets);
        }
        boolean counterpartiesDone = true;
        if (dealerCondition(config).isPresent()) {
            SetReport counterparties = pullSet(config.counterpartySet(), OneCRecords.Kind.COUNTERPARTY);
            sets.put(config.counterpartySet(), counterparties);
            counterpartiesDone = counterparties.complete();
        }
        if (counterpartiesDone) {
            sets.put(config.reclamationSet(), pullSet(config.reclamationSet(), OneCRecords.Kind.RECLAMATION));
        }
        try {
            pending.readAll(); // documents held by an earlier run, and changes the scan found but could not read
        } catch (OneCODataClient.Unavailable | OneCODataClient.Refused e) {
            Log.warnf("Changed 1C objects not read this run, read by the next: %s", e.getMessage());
        }
        return new Report(sets);
    }

    private SetReport pullSet(String set, OneCRecords.Kind kind) {
        OneCWatermarks.Watermark mark = watermarks.startRun(set, kind);
        int pages = 0;
        int rows = 0;
        int received = 0;
        int rejected = 0;
        String previousFirst = null;
        OneCPullProgress.Run run = progress.start(set, kind, mark.nextSkip, total(set, kind, mark));
        List<String> held = new ArrayList<>();
        try {
            while (true) {
                waitForApply(kind, held);
                List<JsonNode> page = odata.page(set, pageOptions(kind, mark));
                pages++;
                String first = page.isEmpty() ? null : page.get(0).path("Ref_Key").asText();
                if (first != null && first.equals(previousFirst)) {
                    // 1C ignored $skip and sent the same page again: stop rather than loop
                    Log.warnf("1C sent the same page of %s twice (is $skip supported? platform 8.3.8+); run ends here", set);
                    page = List.of();
                }
                previousFirst = first;
                List<OneCRecords.Record> records = new ArrayList<>();
                int pageRejected = 0;
                for (JsonNode row : page) {
                    rows++;
                    try {
                        Optional<OneCRecords.Record> record = rowReader.take(kind, row);
                        if (record == null) {
                            pageRejected++;
                        } else {
                            record.ifPresent(records::add);
                        }
                    } catch (OneCRowReader.ReferenceRefused e) {
                        // not rejected for good: held, and read again by key by the next run
                        String ref = row.path("Ref_Key").asText("").toLowerCase(java.util.Locale.ROOT);
                        pending.hold(kind, ref, e.getMessage());
                        Log.warnf("1C %s %s held, read again by the next run: %s", kind, ref, e.getMessage());
                    }
                    if (kind == OneCRecords.Kind.RECLAMATION) {
                        mark.maxSeen = later(mark.maxSeen, notAfterNow(localDate(row.path("Date").asText(""))));
                    }
                }
                // the page's new versions and one job that applies them, in one transaction; the job is held back
                // until a group's worth waits (or the set is read), so a few changes spread over many pages share
                // their calls; held for ONEC_PULL_BACKLOG_WAIT at most, should this replica stop meanwhile
                List<OneCExchangeLog.Receipt> receipts = log.receiveAll(OneCExchange.Direction.PULL, records,
                        clock.instant().plus(config.pullBacklogWait()));
                receipts.stream().filter(r -> !r.repeat()).findFirst()
                        .ifPresent(r -> held.add(OneCExchangeLog.applyJobKey(r.exchangeId())));
                int pageReceived = (int) receipts.stream().filter(r -> !r.repeat()).count();
                if (groups.waitingCount(kind) >= config.groupSize()) {
                    release(held);
                }
                received += pageReceived;
                rejected += pageRejected;
                mark.nextSkip += page.size();
                run.page(page.size(), pageReceived, pageRejected);
                Log.infof("Pulled %s page %d (rows %d-%d): %d new versions, %d rejected, %d unchanged; %s", set, pages,
                        mark.nextSkip - page.size() + 1, mark.nextSkip, pageReceived, pageRejected,
                        page.size() - pageReceived - pageRejected, run.summary());
                if (page.size() < config.pageSize()) {
                    watermarks.complete(set, mark);
                    run.finish(null);
                    return new SetReport(pages, rows, received, rejected, true, null);
                }
                watermarks.savePosition(set, mark, null);
            }
        } catch (OneCODataClient.Unavailable | OneCODataClient.Refused | PullBackedUp e) {
            watermarks.savePosition(set, mark, e.getMessage());
            run.finish(e.getMessage());
            Log.warnf("Pull of %s stopped at row %d, resumes there next run: %s", set, mark.nextSkip, e.getMessage());
            return new SetReport(pages, rows, received, rejected, false, e.getMessage());
        } finally {
            release(held);
        }
    }

    /** Lets the held page jobs run now. */
    private void release(List<String> held) {
        jobs.runBy(OneCExchangeLog.APPLY_JOB, held, clock.instant());
        held.clear();
    }

    private Map<String, String> pageOptions(OneCRecords.Kind kind, OneCWatermarks.Watermark mark) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("$select", kind == OneCRecords.Kind.RECLAMATION ? rowReader.documentSelect() : rowReader.counterpartySelect());
        filter(kind, mark).ifPresent(f -> options.put("$filter", f));
        options.put("$orderby", kind == OneCRecords.Kind.RECLAMATION ? "Date,Ref_Key" : "Ref_Key");
        options.put("$top", String.valueOf(config.pageSize()));
        options.put("$skip", String.valueOf(mark.nextSkip));
        return options;
    }

    private Optional<String> filter(OneCRecords.Kind kind, OneCWatermarks.Watermark mark) {
        return kind == OneCRecords.Kind.RECLAMATION
                ? Optional.of("Date ge datetime'" + ODATA_DATE.format(mark.runSince) + "'" + documentCondition(config))
                : dealerCondition(config);
    }

    /**
     * Which counterparties are dealers: {@code ONEC_COUNTERPARTY_FOLDERS} (each folder's direct children, as
     * {@code Parent_Key eq guid'…'} matches only those) and {@code ONEC_COUNTERPARTY_FILTER}, both when both are set.
     */
    static Optional<String> dealerCondition(OneCConfig config) {
        List<String> folders = config.counterpartyFolders().orElse(List.of()).stream().map(String::trim)
                .filter(f -> !f.isEmpty()).toList();
        Optional<String> byFolder = folders.isEmpty() ? Optional.empty() : Optional.of(folders.stream()
                .map(f -> "Parent_Key eq guid'" + f.toLowerCase(java.util.Locale.ROOT) + "'")
                .collect(Collectors.joining(" or ", "(", ")")));
        Optional<String> filter = config.counterpartyFilter().filter(f -> !f.isBlank());
        if (byFolder.isPresent() && filter.isPresent()) {
            return Optional.of(byFolder.get() + " and (" + filter.get() + ")");
        }
        return byFolder.isPresent() ? byFolder : filter;
    }

    /**
     * What every read of documents adds to its filter: posted documents only (drafts do not become deals) unless
     * {@code ONEC_POSTED_ONLY=false}.
     */
    static String documentCondition(OneCConfig config) {
        return config.postedOnly() ? " and Posted eq true" : "";
    }

    /** Rows the run will read, from {@code <set>/$count} with the same filter; null when 1C does not tell. */
    private Long total(String set, OneCRecords.Kind kind, OneCWatermarks.Watermark mark) {
        try {
            return odata.count(set, filter(kind, mark));
        } catch (OneCODataClient.Unavailable | OneCODataClient.Refused e) {
            return null;
        }
    }

    /**
     * Back-pressure: while the workers apply what earlier pages brought, the pull does not read further, so a large
     * first sync keeps a page or two in the database queue, not the whole infobase. Only when jobs run in the
     * background (tests run them by hand after the pull).
     */
    private void waitForApply(OneCRecords.Kind kind, List<String> held) {
        if (!jobsConfig.runInBackground()) {
            return;
        }
        long limit = Math.max(2L * config.pageSize(), 2L * config.groupSize());
        long deadline = System.nanoTime() + config.pullBacklogWait().toNanos();
        while (groups.waitingCount(kind) > limit) {
            release(held);
            if (System.nanoTime() > deadline) {
                throw new PullBackedUp("records of earlier pages still wait to be applied after "
                        + config.pullBacklogWait() + " (is the portal reachable?)");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PullBackedUp("interrupted");
            }
        }
    }

    /** The applying fell behind for too long: the run stops and the next one resumes at the same row. */
    static final class PullBackedUp extends RuntimeException {
        PullBackedUp(String message) {
            super(message);
        }
    }

    static String describe(List<Problem.FieldError> errors) {
        return OneCRowReader.describe(errors);
    }

    /** Where each entity set's pull stands, for the admin API. */
    public List<Map<String, Object>> watermarks() {
        return watermarks.list();
    }

    private static LocalDateTime localDate(String text) {
        try {
            return text.isBlank() || text.startsWith("0001-01-01") ? null : LocalDateTime.parse(text.length() > 19 ? text.substring(0, 19) : text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A document dated in the future (a typo such as 2052, a planned document) counts as dated now: the watermark
     * never passes now plus {@link #CLOCK_SKEW}, or every new document would fall outside the next window.
     */
    LocalDateTime notAfterNow(LocalDateTime date) {
        LocalDateTime now = LocalDateTime.now(clock.withZone(config.zone())).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return date != null && date.isAfter(now.plus(CLOCK_SKEW)) ? now : date;
    }

    private static LocalDateTime later(LocalDateTime a, LocalDateTime b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
