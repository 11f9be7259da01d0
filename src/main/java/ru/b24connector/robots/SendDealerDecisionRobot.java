package ru.b24connector.robots;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.jobs.JobDeferred;
import ru.b24connector.mail.Decision;
import ru.b24connector.mail.DecisionMailSettled;
import ru.b24connector.mail.DecisionMailService;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code send_dealer_decision}: e-mails the decision to the dealer through the mail outbox and answers the portal
 * once SMTP has accepted it ({@code sent}, {@code message_id}). The mail is keyed by the robot run's event token,
 * so a repeated call never sends twice. Until the mail is out the robot job waits without spending attempts: a mail
 * that waits for SMTP, however long, is not the robot's failure. The mail's end ({@link DecisionMailSettled}) makes
 * the robot's job due at once, so the portal gets its answer as soon as SMTP has taken the mail (or it has failed for
 * good); the job also looks again every {@value #RECHECK_SECONDS} s, for a mail another replica sent.
 */
@ApplicationScoped
public class SendDealerDecisionRobot implements Robot {

    static final long RECHECK_SECONDS = 30;
    private static final String MAIL_KEY_PREFIX = "robot:send_dealer_decision:";

    @Inject
    DecisionMailService mail;

    @Inject
    RobotService robots;

    @Inject
    Clock clock;

    @Override
    public String code() {
        return "send_dealer_decision";
    }

    @Override
    public RobotDefinition definition() {
        LinkedHashMap<String, RobotDefinition.Property> in = new LinkedHashMap<>();
        in.put("decision", RobotDefinition.Property.of("Решение", "Decision", "select", true)
                .withOptions(Map.of("approved", "Удовлетворить / Approved", "rejected", "Отказать / Rejected",
                        "partial", "Частично / Partial")).withDefault("approved"));
        in.put("comment", RobotDefinition.Property.of("Комментарий", "Comment", "text", false));
        in.put("email", RobotDefinition.Property.of("E-mail дилера", "Dealer e-mail", "string", false)
                .withDescription("Пусто: e-mail контакта сделки", "Empty: the deal contact's e-mail"));
        LinkedHashMap<String, RobotDefinition.Property> out = new LinkedHashMap<>();
        out.put("sent", RobotDefinition.Property.of("Отправлено", "Sent", "bool", false));
        out.put("message_id", RobotDefinition.Property.of("Message-ID", "Message-ID", "string", false));
        return new RobotDefinition(Map.of("ru", "Отправить решение дилеру", "en", "Send decision to dealer"),
                Map.of("ru", "Письмо дилеру с решением по рекламации", "en", "E-mails the claim decision to the dealer"),
                in, out);
    }

    @Override
    public RobotResult run(RobotCall call) {
        long dealId = call.dealId();
        Decision decision;
        try {
            decision = Decision.parse(call.required("decision"));
        } catch (IllegalArgumentException e) {
            throw new RobotInputException("decision", "select", e.getMessage());
        }
        Optional<String> email = call.optional("email");
        if (email.isPresent() && !email.get().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new RobotInputException("email", "email", "is not an e-mail address: " + email.get());
        }
        String key = MAIL_KEY_PREFIX + call.eventToken();
        mail.requestDecisionMail(dealId, decision, call.optional("comment").orElse(""), email, key);
        DecisionMailService.DecisionMailState state = mail.find(key).orElseThrow();
        return switch (state.status()) {
            case "SENT", "DONE" -> RobotResult.of(Map.of("sent", "Y", "message_id", state.messageId()),
                    "Decision e-mail sent to " + state.recipient());
            case "FAILED" -> RobotResult.of(Map.of("sent", "N", "message_id", ""),
                    "Decision e-mail not sent: " + state.lastError());
            default -> throw new JobDeferred(clock.instant().plusSeconds(RECHECK_SECONDS),
                    "the decision e-mail is not sent yet" + (state.lastError() == null ? "" : " (" + state.lastError() + ")"));
        };
    }

    /** The robot run that asked for this mail answers now rather than at its next look. */
    void onMailSettled(@Observes DecisionMailSettled settled) {
        if (settled.dedupKey() == null || !settled.dedupKey().startsWith(MAIL_KEY_PREFIX)) {
            return;
        }
        String eventToken = settled.dedupKey().substring(MAIL_KEY_PREFIX.length());
        try {
            robots.runNow(code(), eventToken);
        } catch (RuntimeException e) {
            // the mail is out either way; the robot's own look comes within RECHECK_SECONDS
            Log.debugf("Robot run %s not moved up: %s", eventToken, e.getMessage());
        }
    }
}
