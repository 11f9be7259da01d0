package ru.b24connector.portal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.cluster.Deadlocks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The budget states in {@code portal_budget}, shared by every replica: an update locks the rows of its methods (in
 * name order, so two replicas never wait on each other in a circle), applies the change and commits. A call costs a
 * few short transactions; the portal is called at most a few times a second.
 */
@ApplicationScoped
class SharedBudgetStore implements BudgetStore {

    private static final String COLUMNS = "method, operating, reset_at_ms, cost, in_flight, in_flight_until_ms, "
            + "next_at_ms, blocked, probing, probing_until_ms, known";

    @Inject
    EntityManager em;

    @Override
    public <T> T update(Collection<String> methods, Function<Map<String, State>, T> op) {
        List<String> names = methods.stream().distinct().sorted().toList();
        for (int attempt = 1; ; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    Map<String, State> states = lock(names);
                    if (states.size() < names.size()) {
                        // a method never seen: its row is made once, then locked like the others
                        insertMissing(names, states);
                        states = lock(names);
                    }
                    T result = op.apply(states);
                    states.forEach(this::save);
                    return result;
                });
            } catch (RuntimeException e) {
                // two replicas making the same new rows at once can deadlock; the loser tries again
                if (attempt >= 3 || !Deadlocks.victim(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public <T> T read(Collection<String> methods, Function<Map<String, State>, T> op) {
        List<String> names = methods.stream().distinct().toList();
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, State> states = select(names, "");
            names.forEach(name -> states.computeIfAbsent(name, k -> new State()));
            return op.apply(states);
        });
    }

    @Override
    public <T> T readAll(Function<Map<String, State>, T> op) {
        return QuarkusTransaction.requiringNew().call(() -> op.apply(select(null, "")));
    }

    @Override
    public void clear() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM portal_budget").executeUpdate());
    }

    private Map<String, State> lock(List<String> names) {
        return select(names, " ORDER BY method FOR UPDATE");
    }

    @SuppressWarnings("unchecked")
    private Map<String, State> select(List<String> names, String locking) {
        Map<String, State> states = new HashMap<>();
        // names null: every method
        var query = em.createNativeQuery("SELECT " + COLUMNS + " FROM portal_budget"
                + (names == null ? "" : " WHERE method IN (?1)") + locking);
        List<Object[]> rows = (names == null ? query : query.setParameter(1, names)).getResultList();
        for (Object[] row : rows) {
            State s = new State();
            s.operating = ((Number) row[1]).doubleValue();
            s.resetAtMillis = ((Number) row[2]).longValue();
            s.cost = row[3] == null ? Double.NaN : ((Number) row[3]).doubleValue();
            s.inFlight = ((Number) row[4]).doubleValue();
            s.inFlightUntilMillis = ((Number) row[5]).longValue();
            s.nextAtMillis = ((Number) row[6]).longValue();
            s.blocked = flag(row[7]);
            s.probing = flag(row[8]);
            s.probingUntilMillis = ((Number) row[9]).longValue();
            s.known = flag(row[10]);
            states.put((String) row[0], s);
        }
        return states;
    }

    private void insertMissing(List<String> names, Map<String, State> present) {
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(present.keySet());
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO portal_budget (method) VALUES ");
        for (int i = 0; i < missing.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?").append(i + 1).append(')');
        }
        var insert = em.createNativeQuery(sql.toString());
        for (int i = 0; i < missing.size(); i++) {
            insert.setParameter(i + 1, missing.get(i));
        }
        insert.executeUpdate();
    }

    private void save(String method, State s) {
        em.createNativeQuery("""
                        UPDATE portal_budget SET operating = ?1, reset_at_ms = ?2, cost = ?3, in_flight = ?4,
                               in_flight_until_ms = ?5, next_at_ms = ?6, blocked = ?7, probing = ?8,
                               probing_until_ms = ?9, known = ?10
                        WHERE method = ?11""")
                .setParameter(1, s.operating).setParameter(2, s.resetAtMillis)
                .setParameter(3, Double.isNaN(s.cost) ? null : s.cost).setParameter(4, s.inFlight)
                .setParameter(5, s.inFlightUntilMillis).setParameter(6, s.nextAtMillis).setParameter(7, s.blocked)
                .setParameter(8, s.probing).setParameter(9, s.probingUntilMillis).setParameter(10, s.known)
                .setParameter(11, method).executeUpdate();
    }

    private static boolean flag(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.intValue() != 0;
    }
}
