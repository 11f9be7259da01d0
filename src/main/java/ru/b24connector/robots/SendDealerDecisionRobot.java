package ru.b24connector.robots;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.mail.Decision;
import ru.b24connector.mail.DecisionMailService;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code send_dealer_decision}: e-mails the decision to the dealer through the mail outbox and answers the portal
 * once SMTP has accepted it ({@code sent}, {@code message_id}). The mail is keyed by the robot run's event token,
 * so a repeated call never sends twice; until the mail is out, the robot job waits with the queue's backoff.
 */
@ApplicationScoped
public class SendDealerDecisionRobot implements Robot {

    @Inject
    DecisionMailService mail;

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
        String key = "robot:send_dealer_decision:" + call.eventToken();
        mail.requestDecisionMail(dealId, decision, call.optional("comment").orElse(""), email, key);
        DecisionMailService.DecisionMailState state = mail.find(key).orElseThrow();
        return switch (state.status()) {
            case "SENT", "DONE" -> RobotResult.of(Map.of("sent", "Y", "message_id", state.messageId()),
                    "Decision e-mail sent to " + state.recipient());
            case "FAILED" -> RobotResult.of(Map.of("sent", "N", "message_id", ""),
                    "Decision e-mail not sent: " + state.lastError());
            default -> throw new MailNotSentYet(state.lastError());
        };
    }

    /** The mail is queued but not out yet: the robot job tries again after a backoff. */
    static class MailNotSentYet extends RuntimeException {
        MailNotSentYet(String lastError) {
            super("the decision e-mail is not sent yet" + (lastError == null ? "" : " (" + lastError + ")"));
        }
    }
}
