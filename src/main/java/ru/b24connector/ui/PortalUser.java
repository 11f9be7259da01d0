package ru.b24connector.ui;

/**
 * A portal user as the portal itself reported them for a frame token ({@code user.current}, {@code user.admin},
 * {@code department.get}).
 *
 * @param head true when the user heads at least one department
 */
public record PortalUser(String memberId, long id, String name, boolean admin, boolean head) {

    /** Administrators and heads of a department see the supervisor's board. */
    public boolean supervisor() {
        return admin || head;
    }
}
