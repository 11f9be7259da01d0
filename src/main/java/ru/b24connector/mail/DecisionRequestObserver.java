package ru.b24connector.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import ru.b24connector.process.DealerDecisionRequested;

import java.util.Optional;

/** A deal entered a decision stage of the process: e-mail the dealer the decision (once per stage entry). */
@ApplicationScoped
class DecisionRequestObserver {

    @Inject
    DecisionMailService mails;

    void onDecision(@Observes DealerDecisionRequested request) {
        mails.requestDecisionMail(request.dealId(), Decision.parse(request.decision()), request.comment(),
                Optional.empty(), request.dedupKey());
    }
}
