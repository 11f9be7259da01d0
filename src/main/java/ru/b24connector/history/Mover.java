package ru.b24connector.history;

/** Who or what moved a deal to a stage. */
public enum Mover {
    /** A person in the portal (the deal's {@code MOVED_BY_ID}). */
    USER,
    /** The service's process engine: a rule's move, a required-field bounce, a time-in-stage close. */
    SERVICE,
    /** A 1C document status ({@code ONEC_STATUS_STAGES}), or a deal created from 1C. */
    ONEC,
    /** The portal's automation (a robot or trigger): a change with no user behind it. */
    ROBOT,
    /** The service created the deal from a dealer's claim. */
    INTAKE,
    /** Known only from the portal's stage history ({@code crm.stagehistory.list}), which names no actor. */
    PORTAL
}
