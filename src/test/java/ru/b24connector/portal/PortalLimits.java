package ru.b24connector.portal;

import io.quarkus.arc.Arc;

/** Lets tests of other features start with a full request bucket, as after a restart. */
public final class PortalLimits {

    private PortalLimits() {
    }

    /** Forgets the rate limiter's and time budgets' state. */
    public static void reset() {
        Arc.container().instance(PortalGovernor.class).get().reset();
    }
}
