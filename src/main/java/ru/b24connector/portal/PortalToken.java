package ru.b24connector.portal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** OAuth tokens of the installed local application; one row per portal ({@code member_id}). */
@Entity
@Table(name = "portal_token")
public class PortalToken {

    @Id
    @Column(name = "member_id")
    public String memberId;

    public String domain;

    /** {@code https://<portal>/rest/}: where REST calls go in OAuth mode. */
    @Column(name = "client_endpoint")
    public String clientEndpoint;

    /** The authorization server's REST address the portal named ({@code auth[server_endpoint]}); refreshes go there. */
    @Column(name = "server_endpoint")
    public String serverEndpoint;

    @Column(name = "access_token")
    public String accessToken;

    @Column(name = "refresh_token")
    public String refreshToken;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** Shared secret the portal sends with every event and robot call of this application. */
    @Column(name = "application_token")
    public String applicationToken;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    @Override
    public String toString() {
        return "PortalToken[" + memberId + ", expires " + expiresAt + "]"; // tokens stay out of logs
    }
}
