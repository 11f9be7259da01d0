package ru.b24connector.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.history.StageMove;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.onec.OneCExchange;
import ru.b24connector.process.DealStays;
import ru.b24connector.reclamation.ClaimQueries;
import ru.b24connector.robots.RequestInfoRobot;
import ru.b24connector.tasks.TrackedTask;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The card's one timeline of a claim: every stage entry (with who or what moved it, why, and how long the claim
 * stayed), every action the service took, every question and answer, the dealer's e-mails, the 1C exchange and the
 * clicks on the card, oldest first. Reads only what the card already loaded; calls nothing.
 */
@ApplicationScoped
class CardHistory {

    /** What one card's timeline is made of. */
    record Sources(Optional<ClaimQueries.Claim> claim, Optional<DealStays.Stay> stay, List<StageMove> moves,
                   List<TrackedTask> tasks, List<RequestInfoRobot.Question> questions,
                   List<DecisionMailService.SentMail> mails, List<OneCExchange> exchange, List<UiAction> clicks,
                   Map<Long, String> names, String stage, Map<String, String> stageNames) {
    }

    private record Line(Instant at, String kind, String who, String what, String detail) {
    }

    @Inject
    DealStays stays;

    @Inject
    Formats f;

    @Inject
    Clock clock;

    List<CardView.Event> of(Sources s, Texts t) {
        List<Line> lines = new ArrayList<>();
        String service = t.get("h.who.SERVICE");
        s.claim().ifPresent(c -> lines.add(new Line(c.receivedAt(), "claim", t.get("h.who.dealer"),
                t.get("h.received") + " " + c.dealerClaimId(), "")));
        if (s.moves().isEmpty()) {
            // a deal last seen before moves were recorded: its current stay only
            s.stay().ifPresent(st -> lines.add(new Line(st.enteredAt(), "stage", "", t.get("h.stage") + " " + s.stage()
                    + (st.previousStageId() == null ? ""
                    : " (" + t.get("h.from") + " " + title(st.categoryId(), st.previousStageId(), s) + ")"),
                    t.get("h.events") + ": " + st.transitions())));
        }
        for (StageMove m : s.moves()) {
            lines.add(new Line(m.movedAt(), "stage", mover(m, s.names(), t), stageText(m, s, t), moveDetail(m, t)));
        }
        for (TrackedTask task : s.tasks()) {
            String who = task.source.startsWith("robot:") ? t.get("h.robot") + " " + task.source.substring(6) : service;
            lines.add(new Line(task.createdAt, "task", who, t.get("h.task") + " «" + task.title + "» → "
                    + CardPage.name(s.names(), task.responsibleId), ""));
            if (task.escalationLevel > 0) {
                lines.add(new Line(task.updatedAt, "task", service, t.get("h.escalated") + " " + task.escalationLevel
                        + ": «" + task.title + "»", ""));
            }
            if (task.completedAt != null) {
                lines.add(new Line(task.completedAt, "task", CardPage.name(s.names(), task.responsibleId),
                        t.get("h.done") + " «" + task.title + "»", ""));
            }
        }
        for (RequestInfoRobot.Question q : s.questions()) {
            lines.add(new Line(q.askedAt(), "question", q.askedBy() == null ? t.get("qa.robot")
                    : CardPage.name(s.names(), q.askedBy()), t.get("h.asked") + " "
                    + CardPage.name(s.names(), q.askUser()) + ": «" + q.question() + "»", ""));
            if (!"WAITING".equals(q.status())) {
                String answer = q.answer() == null || q.answer().isEmpty() ? t.get("qa.noanswer") : q.answer();
                lines.add(new Line(q.updatedAt(), "question", CardPage.name(s.names(), q.askUser()),
                        t.get("h.answered") + " " + CardPage.name(s.names(), q.askUser()) + ": «" + answer + "»", ""));
            }
        }
        for (DecisionMailService.SentMail m : s.mails()) {
            lines.add(new Line(m.createdAt(), "mail", service, t.get("h.mail") + " " + t.get("decision." + m.decision())
                    + ", " + t.get("mail." + m.status()), ""));
        }
        for (OneCExchange e : s.exchange()) {
            lines.add(new Line(e.createdAt, "onec", t.get("h.who.ONEC"), "1C " + e.direction + " "
                    + (e.number == null ? "" : e.number) + ": " + e.status, ""));
        }
        for (UiAction c : s.clicks()) {
            lines.add(new Line(c.createdAt, "action", c.userName == null ? "" : c.userName,
                    t.get("h.action." + c.action.name()), t.get("h.status." + c.status.name())));
        }
        return lines.stream().filter(l -> l.at() != null).sorted(Comparator.comparing(Line::at))
                .map(l -> new CardView.Event(f.time(l.at()), l.kind(), t.get("h.kind." + l.kind()), l.who(), l.what(),
                        l.detail())).toList();
    }

    private static String mover(StageMove m, Map<Long, String> names, Texts t) {
        if (m.userId() != null) {
            return CardPage.name(names, m.userId());
        }
        return t.get("h.who." + m.mover().name());
    }

    private String stageText(StageMove m, Sources s, Texts t) {
        String to = "«" + title(m.categoryId(), m.toStage(), s) + "»";
        return m.fromStage() == null ? t.get("h.entered") + " " + to
                : "«" + title(m.categoryId(), m.fromStage(), s) + "» → " + to;
    }

    private String moveDetail(StageMove m, Texts t) {
        List<String> parts = new ArrayList<>();
        String reason = reason(m.reason(), t);
        if (!reason.isEmpty()) {
            parts.add(reason);
        }
        if (m.leftAt() != null) {
            parts.add(t.get("h.stayed") + " " + Formats.duration(Duration.between(m.movedAt(), m.leftAt()), t)
                    + ", " + t.get("h.left") + " " + f.time(m.leftAt()));
        } else {
            parts.add(t.get("h.here") + " " + Formats.duration(Duration.between(m.movedAt(), clock.instant()), t));
        }
        if (StageMove.HISTORY.equals(m.source())) {
            parts.add(t.get("h.fromhistory"));
        }
        return String.join("; ", parts);
    }

    /** {@code rule:…}, {@code timeout:<ISO duration>}, {@code required:…}, {@code onec:…}, {@code created}. */
    static String reason(String reason, Texts t) {
        if (reason == null || reason.isEmpty()) {
            return "";
        }
        int colon = reason.indexOf(':');
        String kind = colon < 0 ? reason : reason.substring(0, colon);
        String rest = colon < 0 ? "" : reason.substring(colon + 1);
        return switch (kind) {
            case "timeout" -> {
                String d;
                try {
                    d = Formats.duration(Duration.parse(rest), t);
                } catch (RuntimeException e) {
                    d = rest;
                }
                yield t.get("h.reason.timeout") + " " + d;
            }
            case "rule" -> t.get("h.reason.rule") + ": " + rest;
            case "required" -> t.get("h.reason.required") + ": " + rest;
            case "onec" -> t.get("h.reason.onec") + " «" + rest + "»";
            case "created" -> t.get("h.reason.created");
            case "pipeline changed" -> t.get("h.reason.pipeline");
            default -> reason;
        };
    }

    /** The process file's title, else the portal's name of the stage (read with the card), else its id. */
    private String title(int category, String stageId, Sources s) {
        return stays.stageTitle(category, stageId).orElse(s.stageNames().getOrDefault(stageId, stageId));
    }
}
