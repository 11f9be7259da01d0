package ru.b24connector.ui;

/**
 * A short page session opened after the portal confirmed the frame's user: who, on which portal, for which deal
 * (0 on the board), in which language, until when, and the CSRF token its forms must carry.
 */
public record UiSession(String memberId, long userId, String userName, boolean admin, boolean head, long dealId,
                        String lang, long expiresAt, String csrf) {

    public PortalUser user() {
        return new PortalUser(memberId, userId, userName, admin, head);
    }

    @Override
    public String toString() {
        return "UiSession[" + memberId + ", user " + userId + ", deal " + dealId + "]"; // the CSRF token stays out of logs
    }
}
