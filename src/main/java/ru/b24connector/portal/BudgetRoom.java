package ru.b24connector.portal;

import java.time.Instant;

/**
 * How many items (each a fixed number of commands of the methods asked about) one call may carry now without
 * passing the portal's time budgets, and when to look again if none: a caller that groups work sizes its group by
 * it, and leaves what does not fit in the queue instead of waiting with it in a worker. {@code probe}: a method's
 * reset has passed and nobody knows yet how much of its window dropped out; one call of one item finds out.
 * Methods whose cost is not known yet are not limited ({@link #UNLIMITED}).
 */
public record BudgetRoom(int items, boolean probe, long freeAtMillis) {

    public static final BudgetRoom UNLIMITED = new BudgetRoom(Integer.MAX_VALUE, false, 0);

    /** When to look again: now when something fits, else the tightest method's reset (or a probe's answer). */
    public Instant freeAt() {
        return Instant.ofEpochMilli(freeAtMillis);
    }

    /** The tighter of two rooms: a group needs room in every method it calls. */
    public BudgetRoom and(BudgetRoom other) {
        if (items == 0 && other.items == 0) {
            return freeAtMillis >= other.freeAtMillis ? this : other;
        }
        return other.items < items ? other : this;
    }
}
