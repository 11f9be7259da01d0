package ru.b24connector.portal;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Optional;

/** Stored OAuth tokens. A deployment serves one portal, so "the" token is the most recently updated row. */
@ApplicationScoped
public class PortalTokenRepository implements PanacheRepositoryBase<PortalToken, String> {

    public Optional<PortalToken> findCurrent() {
        return find("order by updatedAt desc").firstResultOptional();
    }

    /** Locks the row until the transaction ends, so only one replica refreshes a rotated refresh token. */
    public Optional<PortalToken> lockCurrent() {
        return find("order by updatedAt desc").withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
