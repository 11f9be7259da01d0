package ru.b24connector.mail;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Queries over the mail outbox; other features go through {@link DecisionMailService}. */
@ApplicationScoped
class MailOutboxRepository implements PanacheRepository<MailOutbox> {

    Optional<MailOutbox> findByKey(String kind, String dedupKey) {
        return find("kind = ?1 and dedupKey = ?2", kind, dedupKey).firstResultOptional();
    }
}
