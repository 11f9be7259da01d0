package ru.b24connector.process;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the mail feature in tests: records the decision mails the engine asks for. */
@ApplicationScoped
public class DecisionRequests {

    private final List<DealerDecisionRequested> seen = new CopyOnWriteArrayList<>();

    void on(@Observes DealerDecisionRequested request) {
        seen.add(request);
    }

    List<DealerDecisionRequested> seen() {
        return List.copyOf(seen);
    }

    void clear() {
        seen.clear();
    }
}
