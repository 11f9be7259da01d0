package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.history.StageMoves;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.onec.OneCExchange;
import ru.b24connector.onec.OneCExchangeQueries;
import ru.b24connector.onec.OneCRecords;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.process.DealStays;
import ru.b24connector.reclamation.ClaimQueries;
import ru.b24connector.reclamation.ReclamationRequest;
import ru.b24connector.robots.RequestInfoRobot;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TrackedTask;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * Puts one deal's story together from the services that own it (claims, Q&A, tasks, mails, 1C, process) and what
 * the opening read from the portal; reads no repository of another feature and calls the portal never.
 */
@ApplicationScoped
public class CardPage {

    /** Photo links stay valid this long (the page may stay open in the portal). */
    private static final Duration PHOTO_LINK = Duration.ofHours(1);

    /**
     * A built card is reused this briefly (openings of the same card in a burst read the tables once); an action on
     * the deal drops it at once, so what someone just did is never hidden.
     */
    private static final Duration VIEW_REUSE = Duration.ofSeconds(3);

    private final TimedCache<CardView> views = new TimedCache<>(2_000);
    private final java.util.concurrent.ConcurrentHashMap<String, Object> building = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    ClaimQueries claims;

    @Inject
    OneCExchangeQueries onec;

    @Inject
    RequestInfoRobot questions;

    @Inject
    TaskService tasks;

    @Inject
    DecisionMailService mails;

    @Inject
    DealStays stays;

    @Inject
    CardActions actions;

    @Inject
    CardHistory history;

    @Inject
    StageMoves moves;

    @Inject
    UiSessions sessions;

    @Inject
    PortalUsers people;

    @Inject
    Formats f;

    @Inject
    Clock clock;

    /** The card of {@code dealId}; {@code read} holds the portal's commands {@code deal}, {@code users} and {@code rows}. */
    public CardView build(long dealId, Optional<BatchResult> read, Texts t) {
        String key = dealId + "|" + t.lang() + "|" + read.map(System::identityHashCode).orElse(0);
        Optional<CardView> built = views.get(key, clock);
        if (built.isPresent()) {
            return built.get();
        }
        // openings of the same card at the same moment build it once; the others wait for that one
        Object lock = building.computeIfAbsent(key, k -> new Object());
        synchronized (lock) {
            try {
                built = views.get(key, clock);
                if (built.isPresent()) {
                    return built.get();
                }
                CardView view = assemble(dealId, read, t);
                views.put(key, view, VIEW_REUSE, clock);
                return view;
            } finally {
                building.remove(key, lock);
            }
        }
    }

    /**
     * The users the card names, as the service's own records know them (who asked and was asked, tasks'
     * responsibles, colleagues chosen in clicks): the opening reads just these with {@code user.get} by id, plus
     * the deal's responsible (a batch reference), never a page of "all users".
     */
    public Set<Long> userIdsOf(long dealId) {
        return idsOf(questions.questionsOf(dealId), tasks.allForDeal(dealId), actions.ofDeal(dealId));
    }

    private static Set<Long> idsOf(List<RequestInfoRobot.Question> asked, List<TrackedTask> dealTasks,
                                   List<UiAction> clicks) {
        Set<Long> ids = new LinkedHashSet<>();
        for (RequestInfoRobot.Question q : asked) {
            ids.add(q.askUser());
            if (q.askedBy() != null) {
                ids.add(q.askedBy());
            }
        }
        dealTasks.forEach(task -> ids.add(task.responsibleId));
        for (UiAction click : clicks) {
            JsonNode p = CardActionsParams.read(click);
            ids.add(p.path("askUser").asLong(0));
            ids.add(p.path("newResponsible").asLong(0));
        }
        ids.removeIf(id -> id == null || id <= 0);
        return ids;
    }

    /** The opening's {@code user.get}: the card's users by id and the deal's responsible (from {@code deal}). */
    static Map<String, Object> usersCommand(Set<Long> ids) {
        List<Object> wanted = new ArrayList<>();
        wanted.add(ru.b24connector.portal.PortalBatch.ref("deal", "ASSIGNED_BY_ID"));
        ids.stream().limit(PortalUsers.IDS_PER_COMMAND - 1).forEach(wanted::add);
        return PortalUsers.byIds(wanted);
    }

    /**
     * Asks, in the card's one batch, for the names of the stages of the deal's pipeline when the service knows it:
     * the timeline then names stages the process file gives no title. The opening stays one portal call.
     */
    void askStageNames(PortalBatch page, long dealId) {
        stays.of(dealId).ifPresent(stay -> PortalStageNames.ask(page, stay.categoryId()));
    }

    /** Drops the deal's built cards (after an action on it). */
    public void forget(long dealId) {
        views.removeIf(k -> k.startsWith(dealId + "|"));
    }

    private CardView assemble(long dealId, Optional<BatchResult> read, Texts t) {
        JsonNode deal = read.filter(r -> r.succeeded("deal")).map(r -> r.result("deal")).orElse(null);
        Map<Long, String> names = users(read);
        Optional<ClaimQueries.Claim> claim = claims.ofDeal(dealId);
        Optional<OneCRecords.Reclamation> doc = claim.isPresent() ? Optional.empty() : onec.reclamationRecordOfDeal(dealId);
        List<RequestInfoRobot.Question> asked = questions.questionsOf(dealId);
        List<TrackedTask> dealTasks = tasks.allForDeal(dealId);
        List<DecisionMailService.SentMail> sent = mails.forDeal(dealId);
        List<OneCExchange> exchange = onec.forDeal(dealId, 100);
        List<UiAction> clicks = actions.ofDeal(dealId);
        Optional<DealStays.Stay> stay = stays.of(dealId);
        names.putAll(clickers(clicks));
        if (deal != null) {
            // more users than one page of user.get could name: those this replica read lately (no portal call)
            Set<Long> unnamed = idsOf(asked, dealTasks, clicks);
            unnamed.add(deal.path("ASSIGNED_BY_ID").asLong());
            unnamed.removeAll(names.keySet());
            names.putAll(people.known(unnamed));
        }

        String company = "", inn = "", number = "", channel = t.get("channel.manual"), claimText = "";
        Instant received = null;
        List<String> dealerQuestions = List.of();
        List<CardView.Item> items = new ArrayList<>();
        if (claim.isPresent()) {
            ReclamationRequest r = claim.get().request();
            company = r.dealer().companyName();
            inn = r.dealer().inn();
            number = r.dealerClaimId();
            channel = t.get("channel.dealer");
            claimText = r.claimText();
            received = claim.get().receivedAt();
            dealerQuestions = r.questions() == null ? List.of() : r.questions();
            for (int i = 0; i < r.items().size(); i++) {
                ReclamationRequest.Item item = r.items().get(i);
                items.add(new CardView.Item(i, i + 1, item.productName(), nz(item.sku()), nz(item.serialNumber()),
                        String.valueOf(item.quantity()), nz(item.defectDescription()),
                        photoLinks(dealId, i, item.photos() == null ? 0 : item.photos().size()),
                        itemQuestions(asked, clicks, i, names, dealTasks, t)));
            }
        } else if (doc.isPresent()) {
            OneCRecords.Reclamation d = doc.get();
            company = d.counterparty() == null ? "" : nz(d.counterparty().name());
            inn = d.counterparty() == null ? "" : nz(d.counterparty().inn());
            number = nz(d.number());
            channel = t.get("channel.onec");
            claimText = nz(d.description());
            received = onec.reclamationOfDeal(dealId).map(o -> o.createdAt).orElse(null);
            List<OneCRecords.Line> lines = d.lines() == null ? List.of() : d.lines();
            for (int i = 0; i < lines.size(); i++) {
                OneCRecords.Line l = lines.get(i);
                items.add(new CardView.Item(i, i + 1, nz(l.productName()), nz(l.productArticle()),
                        l.serialNumbers() == null ? "" : String.join(", ", l.serialNumbers()), plain(l.quantity()),
                        nz(l.defect()), List.of(), itemQuestions(asked, clicks, i, names, dealTasks, t)));
            }
        } else if (read.isPresent() && read.get().succeeded("rows")) {
            int i = 0;
            for (JsonNode row : PortalClient.itemsOf(read.get().result("rows"))) {
                items.add(new CardView.Item(i, i + 1, row.path("PRODUCT_NAME").asText(""), "", "",
                        row.path("QUANTITY").asText(""), "", List.of(), itemQuestions(asked, clicks, i, names, dealTasks, t)));
                i++;
            }
        }
        if (received == null && deal != null) {
            received = parse(deal.path("DATE_CREATE").asText(null));
        }
        String stageId = deal != null ? deal.path("STAGE_ID").asText("") : stay.map(DealStays.Stay::stageId).orElse("");
        int category = deal != null ? deal.path("CATEGORY_ID").asInt(0) : stay.map(DealStays.Stay::categoryId).orElse(0);
        Map<String, String> stageNames = read.map(r -> PortalStageNames.of(r,
                stay.map(s -> List.of(s.categoryId())).orElse(List.of()))).orElse(Map.of());
        String stage = stageId.isEmpty() ? ""
                : stays.stageTitle(category, stageId).orElse(stageNames.getOrDefault(stageId, stageId));
        String inStage = stay.filter(s -> s.stageId().equals(stageId)).map(s -> Formats.duration(
                Duration.between(s.enteredAt(), clock.instant()), t)).orElse("");
        String responsible = deal == null ? "" : name(names, deal.path("ASSIGNED_BY_ID").asLong());

        return new CardView(dealId, deal == null ? "#" + dealId : deal.path("TITLE").asText("#" + dealId), company,
                inn, number, channel, f.time(received), stage, inStage, responsible, claimText, dealerQuestions, items,
                itemQuestions(asked, clicks, null, names, dealTasks, t), taskViews(dealTasks, names, t),
                mailViews(sent, t), onecViews(exchange), history.of(new CardHistory.Sources(claim, stay,
                        moves.ofDeal(dealId), dealTasks, asked, sent, exchange, clicks, names, stage, stageNames), t),
                options(names), !sent.isEmpty(), deal != null);
    }

    private List<String> photoLinks(long dealId, int item, int count) {
        List<String> links = new ArrayList<>();
        long expires = clock.instant().plus(PHOTO_LINK).getEpochSecond();
        for (int n = 0; n < count; n++) {
            String path = "/ui/photo/" + dealId + "/" + item + "/" + n;
            links.add(path + "?exp=" + expires + "&sig=" + sessions.signLink(path, expires));
        }
        return links;
    }

    /** Questions about item {@code item} (null: the whole deal), including clicks whose job has not run yet. */
    private List<CardView.Question> itemQuestions(List<RequestInfoRobot.Question> asked, List<UiAction> clicks,
                                                  Integer item, Map<Long, String> names, List<TrackedTask> dealTasks,
                                                  Texts t) {
        List<CardView.Question> out = new ArrayList<>();
        for (RequestInfoRobot.Question q : asked) {
            if (java.util.Objects.equals(q.itemIndex(), item)) {
                boolean pending = "WAITING".equals(q.status());
                String deadline = q.taskId() == null ? "" : dealTasks.stream()
                        .filter(task -> q.taskId().equals(task.taskId)).findFirst()
                        .map(task -> f.time(task.deadline)).orElse("");
                out.add(new CardView.Question(q.question(), q.askedBy() == null ? t.get("qa.robot")
                        : name(names, q.askedBy()), name(names, q.askUser()), f.time(q.askedAt()),
                        pending ? "" : nz(q.answer()).isEmpty() ? t.get("qa.noanswer") : q.answer(), pending, deadline,
                        ""));
            }
        }
        for (UiAction click : clicks) {
            if (click.action == UiAction.Kind.ASK && click.status == UiAction.Status.QUEUED) {
                JsonNode p = CardActionsParams.read(click);
                Integer clickItem = p.hasNonNull("item") ? p.path("item").asInt() : null;
                if (java.util.Objects.equals(clickItem, item)) {
                    out.add(new CardView.Question(p.path("question").asText(), nz(click.userName),
                            name(names, p.path("askUser").asLong()), f.time(click.createdAt), "", true, "",
                            t.get("qa.sending")));
                }
            }
        }
        return out;
    }

    private List<CardView.Task> taskViews(List<TrackedTask> list, Map<Long, String> names, Texts t) {
        Instant now = clock.instant();
        return list.stream().map(task -> new CardView.Task(task.title, name(names, task.responsibleId),
                f.time(task.deadline), t.get("task." + task.status.name()), task.escalationLevel,
                task.status == TrackedTask.Status.OPEN && task.deadline != null && task.deadline.isBefore(now),
                task.source)).toList();
    }

    private List<CardView.Mail> mailViews(List<DecisionMailService.SentMail> sent, Texts t) {
        return sent.stream().map(m -> new CardView.Mail(t.get("decision." + m.decision()), t.get("mail." + m.status()),
                f.time(m.sentAt() != null ? m.sentAt() : m.createdAt()), m.messageId(), nz(m.recipient()),
                nz(m.subject()), m.preview())).toList();
    }

    private List<CardView.OneC> onecViews(List<OneCExchange> entries) {
        return entries.stream().map(e -> new CardView.OneC(f.time(e.createdAt), e.direction.name(), e.status.name(),
                nz(e.number), nz(e.error))).toList();
    }

    /** Names of the users the opening read ({@code users}: user.get), by id. */
    static Map<Long, String> users(Optional<BatchResult> read) {
        Map<Long, String> names = new LinkedHashMap<>();
        if (read.isPresent() && read.get().succeeded("users")) {
            for (JsonNode u : PortalClient.itemsOf(read.get().result("users"))) {
                String name = (u.path("NAME").asText("") + " " + u.path("LAST_NAME").asText("")).trim();
                names.put(u.path("ID").asLong(), name.isEmpty() ? "#" + u.path("ID").asText() : name);
            }
        }
        return names;
    }

    private static Map<Long, String> clickers(List<UiAction> clicks) {
        Map<Long, String> names = new LinkedHashMap<>();
        clicks.forEach(c -> {
            if (c.userName != null) {
                names.putIfAbsent(c.userId, c.userName);
            }
        });
        return names;
    }

    private static List<CardView.Option> options(Map<Long, String> names) {
        return names.entrySet().stream().map(e -> new CardView.Option(e.getKey(), e.getValue())).toList();
    }

    static String name(Map<Long, String> names, long id) {
        return id <= 0 ? "" : names.getOrDefault(id, "#" + id);
    }

    private static Instant parse(String portalTime) {
        try {
            return portalTime == null || portalTime.isBlank() ? null : java.time.OffsetDateTime.parse(portalTime).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String plain(BigDecimal n) {
        return n == null ? "" : n.stripTrailingZeros().toPlainString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
