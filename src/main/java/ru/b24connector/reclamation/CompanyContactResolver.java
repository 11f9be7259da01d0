package ru.b24connector.reclamation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.BudgetRoom;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Finds or creates a dealer's company (by INN in its requisites, then by e-mail or phone) and contact (by e-mail),
 * never twice: resolved dealers are kept by INN, and while one caller creates a new dealer in the portal, an INN
 * lease keeps other callers (other groups, other replicas) from doing the same. Many dealers share their calls:
 * the lookups go in one batch (a duplicate lookup carries up to 20 e-mails or phones), the creates in batches of
 * up to 50 commands. Used by the dealer intake, the {@code ensure_company_contact}
 * robot and the 1C exchange.
 */
@ApplicationScoped
public class CompanyContactResolver {

    /** Marks what the service created, so a retry finds it by ORIGIN_ID. */
    static final String ORIGINATOR = "b24connector";

    /** A dealer as a claim or a robot names it. Phone in E.164 (see {@link Phones}). */
    public record Party(String companyTitle, String inn, String kpp, String contactName, String email, String phone) {
    }

    /** The portal ids of a dealer. */
    public record CompanyContact(long companyId, Long contactId) {
    }

    /**
     * What a resolution found, by INN; of the dealers it left out, {@code busy} are being created by another caller
     * right now and {@code noRoom} did not fit the portal's time budgets ({@code room} says when they do). A dealer
     * in none of the three failed: the portal refused to create it. {@code created}: the INNs whose company this
     * resolution created (the others were found).
     */
    public record Resolution(Map<String, CompanyContact> dealers, Set<String> busy, Set<String> noRoom,
                             BudgetRoom room, Set<String> created) {
    }

    private volatile Long presetId;

    @Inject
    PortalClient portal;

    @Inject
    DealerLeases leases;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * Resolves one dealer, waiting for the portal's time budget if it must; throws {@link DealerBusy} when another
     * caller is creating it right now (retry).
     */
    public CompanyContact resolve(Party party) {
        CompanyContact ids = resolve(List.of(party), true, 1).dealers().get(party.inn());
        if (ids == null) {
            throw new DealerBusy(party.inn());
        }
        return ids;
    }

    /**
     * Resolves many dealers with few portal calls: one batch of lookups (a second for duplicate hits among many
     * values), and creates in batches of up to 50 commands. Dealers another caller is creating right now, and new
     * dealers the portal's time budgets have no room for now (see {@link #newDealerRoom}), are left out of the
     * answer.
     *
     * @param mayExistFromEarlierAttempt also look for records an unanswered earlier attempt may have created
     */
    public Resolution resolveAll(List<Party> parties, boolean mayExistFromEarlierAttempt) {
        return resolve(parties, mayExistFromEarlierAttempt, 0);
    }

    private Resolution resolve(List<Party> parties, boolean mayExistFromEarlierAttempt, int atLeast) {
        // one owner per call, not per bean: worker threads of one replica must exclude each other too
        String owner = UUID.randomUUID().toString();
        leases.began(owner);
        try {
            return resolve(parties, mayExistFromEarlierAttempt, atLeast, owner);
        } finally {
            leases.ended(owner);
        }
    }

    private Resolution resolve(List<Party> parties, boolean mayExistFromEarlierAttempt, int atLeast, String owner) {
        Map<String, CompanyContact> resolved = new HashMap<>(known(parties));
        Map<String, Party> unknown = new LinkedHashMap<>();
        Set<String> busy = new HashSet<>();
        Set<String> noRoom = new HashSet<>();
        Set<String> created = new HashSet<>();
        BudgetRoom room = newDealerRoom();
        int fit = Math.max(atLeast, room.items());
        Set<String> tried = new HashSet<>();
        try {
            for (Party p : parties) {
                if (resolved.containsKey(p.inn()) || unknown.containsKey(p.inn()) || busy.contains(p.inn())) {
                    continue;
                }
                if (unknown.size() >= fit) {
                    noRoom.add(p.inn());
                    continue;
                }
                tried.add(p.inn()); // before asking: a lease whose answer the database lost is released too
                if (leases.take(p.inn(), owner)) {
                    unknown.put(p.inn(), p);
                } else {
                    busy.add(p.inn());
                }
            }
            if (unknown.isEmpty()) {
                return new Resolution(resolved, busy, noRoom, room, created);
            }
            Map<String, Long> companies = new HashMap<>();
            Map<String, Long> contacts = new HashMap<>();
            try {
                // a caller that resolves many dealers leaves them for later rather than wait for the budget
                lookup(unknown, mayExistFromEarlierAttempt, atLeast == 0, companies, contacts);
            } catch (PortalException.NoRoom e) {
                noRoom.addAll(unknown.keySet());
                return new Resolution(resolved, busy, noRoom, new BudgetRoom(0, false, e.freeAt().toEpochMilli()), created);
            } catch (PortalException.CommandLimited e) {
                // a lookup refused for its method's time budget inside the batch: the same wait as no room
                noRoom.addAll(unknown.keySet());
                return new Resolution(resolved, busy, noRoom, new BudgetRoom(0, false, e.freeAt().toEpochMilli()), created);
            }
            Map<String, java.time.Instant> limited = new HashMap<>();
            create(unknown, companies, contacts, created, limited);
            if (!limited.isEmpty()) {
                noRoom.addAll(limited.keySet());
                room = new BudgetRoom(0, false, limited.values().stream().max(java.util.Comparator.naturalOrder())
                        .orElseThrow().toEpochMilli());
            }
            for (Party p : unknown.values()) {
                if (companies.containsKey(p.inn()) && !limited.containsKey(p.inn())) {
                    CompanyContact ids = new CompanyContact(companies.get(p.inn()), contacts.get(p.inn()));
                    remember(p, ids);
                    resolved.put(p.inn(), ids);
                }
            }
        } finally {
            leases.release(tried, owner);
        }
        return new Resolution(resolved, busy, noRoom, room, created);
    }

    /**
     * How many new dealers one resolution may look up and create now without overdrawing the portal's time budgets
     * of the methods it calls (three duplicate lookups per 20 dealers, one command of each other method), and when
     * there is room again if none; the others are left for a later attempt.
     */
    public BudgetRoom newDealerRoom() {
        // three duplicate lookups serve up to 20 dealers
        BudgetRoom lookups = portal.budgetRoom(3, "crm.duplicate.findbycomm");
        BudgetRoom dealers = lookups.items() == 0 || lookups.probe() ? lookups
                : new BudgetRoom((int) Math.min(Integer.MAX_VALUE, lookups.items() * 20L), false, lookups.freeAtMillis());
        return dealers.and(portal.budgetRoom(1, "crm.requisite.list", "crm.company.add", "crm.requisite.add",
                "crm.contact.add"));
    }

    private void lookup(Map<String, Party> unknown, boolean earlierAttempt, boolean mayGiveUpForBudget,
                        Map<String, Long> companies, Map<String, Long> contacts) {
        // the duplicate lookups are shared: up to three per 20 dealers; a probe after a reset carries three
        PortalBatch batch = mayGiveUpForBudget ? PortalBatch.create().withoutWaitingForBudget(3) : PortalBatch.create();
        int n = 0;
        Map<String, String> keyOf = new HashMap<>();
        for (Party p : unknown.values()) {
            String k = "d" + n++;
            keyOf.put(p.inn(), k);
            batch.add(k + "inn", "crm.requisite.list", Map.of("filter", Map.of("RQ_INN", p.inn(), "ENTITY_TYPE_ID", 4),
                    "select", List.of("ENTITY_ID")));
            if (earlierAttempt) {
                batch.add(k + "org", "crm.company.list", Map.of("filter", Map.of("ORIGINATOR_ID", ORIGINATOR,
                        "ORIGIN_ID", "inn:" + p.inn()), "select", List.of("ID")));
            }
        }
        // a 1C counterparty may come without e-mail or phone: look up by what there is
        List<DuplicateLookup> comms = List.of(
                new DuplicateLookup("mail", "COMPANY", "EMAIL", Party::email),
                new DuplicateLookup("ct", "CONTACT", "EMAIL", Party::email),
                new DuplicateLookup("tel", "COMPANY", "PHONE", Party::phone));
        comms.forEach(c -> c.addTo(batch, unknown.values()));
        if (presetId == null) {
            batch.add("presets", "crm.requisite.preset.list", Map.of("select", List.of("ID", "COUNTRY_ID", "NAME")));
        }
        BatchResult found = portal.batch(batch);
        if (presetId == null) {
            presetId = firstId(found.result("presets"), "ID").orElse(1L);
        }
        // a command of several values answers which records matched, not which value: its hits are asked again,
        // one value a command (rare: a dealer new to the service is mostly new to the portal too)
        PortalBatch again = PortalBatch.create();
        comms.forEach(c -> c.readOrAskAgain(found, again));
        if (!again.isEmpty()) {
            BatchResult answers = portal.batch(again).waitIfLimited(); // a refused read is not "no duplicate"
            comms.forEach(c -> c.readAgain(answers));
        }
        for (Party p : unknown.values()) {
            String k = keyOf.get(p.inn());
            firstId(found.result(k + "inn"), "ENTITY_ID")
                    .or(() -> earlierAttempt ? firstId(found.result(k + "org"), "ID") : Optional.empty())
                    .or(() -> comms.get(0).match(p))
                    .or(() -> comms.get(2).match(p))
                    .ifPresent(id -> companies.put(p.inn(), id));
            comms.get(1).match(p).ifPresent(id -> contacts.put(p.inn(), id));
        }
    }

    /**
     * Creates what the lookups did not find, in calls of up to 50 commands; a dealer's commands stay in one call
     * (they refer to each other's results). Adds the INNs of the companies it created to {@code created}, and those
     * of dealers a command was refused for its method's time budget to {@code limited} (with when it is open again).
     */
    private void create(Map<String, Party> unknown, Map<String, Long> companies, Map<String, Long> contacts,
                        Set<String> created, Map<String, java.time.Instant> limited) {
        List<PortalBatch> batches = new ArrayList<>();
        PortalBatch batch = PortalBatch.create();
        int n = 0;
        Map<String, String> keyOf = new HashMap<>();
        for (Party p : unknown.values()) {
            if (companies.containsKey(p.inn()) && contacts.containsKey(p.inn())) {
                continue;
            }
            String k = "n" + n++;
            keyOf.put(p.inn(), k);
            if (batch.size() + 3 > PortalBatch.MAX_COMMANDS) {
                batches.add(batch);
                batch = PortalBatch.create();
            }
            Object companyId = companies.containsKey(p.inn()) ? companies.get(p.inn()) : PortalBatch.ref(k + "co");
            if (!companies.containsKey(p.inn())) {
                Map<String, Object> company = new LinkedHashMap<>();
                company.put("TITLE", p.companyTitle());
                company.put("ORIGINATOR_ID", ORIGINATOR);
                company.put("ORIGIN_ID", "inn:" + p.inn());
                company.putAll(communications(p));
                batch.add(k + "co", "crm.company.add", Map.of("fields", company));
                Map<String, Object> requisite = new LinkedHashMap<>();
                requisite.put("ENTITY_TYPE_ID", 4);
                requisite.put("ENTITY_ID", companyId);
                requisite.put("PRESET_ID", presetId);
                requisite.put("NAME", p.companyTitle());
                requisite.put("RQ_INN", p.inn());
                if (p.kpp() != null) {
                    requisite.put("RQ_KPP", p.kpp());
                }
                batch.add(k + "rq", "crm.requisite.add", Map.of("fields", requisite));
            }
            if (!contacts.containsKey(p.inn()) && p.contactName() != null && !p.contactName().isBlank()) {
                String[] name = p.contactName().trim().split("\\s+", 2);
                Map<String, Object> contact = new LinkedHashMap<>();
                contact.put("NAME", name[0]);
                contact.put("LAST_NAME", name.length > 1 ? name[1] : "");
                contact.put("COMPANY_ID", companyId);
                contact.put("ORIGINATOR_ID", ORIGINATOR);
                contact.put("ORIGIN_ID", "contact:" + p.inn());
                contact.putAll(communications(p));
                batch.add(k + "ct", "crm.contact.add", Map.of("fields", contact));
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        for (PortalBatch call : batches) {
            BatchResult result = portal.batch(call);
            Set<String> sent = new HashSet<>();
            call.commands().forEach(c -> sent.add(c.key()));
            for (Party p : unknown.values()) {
                String k = keyOf.get(p.inn());
                if (k == null || !sent.contains(k + "co") && !sent.contains(k + "ct")) {
                    continue;
                }
                // a command refused for its method's time budget: the dealer waits for the reset, not a failure
                result.limitedUntil(k + "co").or(() -> result.limitedUntil(k + "ct"))
                        .ifPresent(until -> limited.put(p.inn(), until));
                if (!companies.containsKey(p.inn())) {
                    if (!result.succeeded(k + "co")) {
                        Log.warnf("Company of INN %s not created: %s", p.inn(),
                                result.error(k + "co").map(Throwable::getMessage).orElse("no result"));
                        continue;
                    }
                    companies.put(p.inn(), result.result(k + "co").asLong());
                    created.add(p.inn());
                }
                if (!contacts.containsKey(p.inn()) && sent.contains(k + "ct") && result.succeeded(k + "ct")) {
                    contacts.put(p.inn(), result.result(k + "ct").asLong());
                }
            }
        }
    }

    private Map<String, CompanyContact> known(List<Party> parties) {
        List<String> inns = parties.stream().map(Party::inn).distinct().toList();
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, CompanyContact> known = new HashMap<>();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT inn, company_id, contact_id FROM dealer_party WHERE inn IN (?1)")
                    .setParameter(1, inns).getResultList();
            for (Object[] row : rows) {
                known.put((String) row[0], new CompanyContact(((Number) row[1]).longValue(),
                        row[2] == null ? null : ((Number) row[2]).longValue()));
            }
            return known;
        });
    }

    private void remember(Party p, CompanyContact ids) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO dealer_party (inn, company_id, contact_id, email, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                        ON DUPLICATE KEY UPDATE company_id = VALUES(company_id), contact_id = VALUES(contact_id),
                                                email = VALUES(email), updated_at = VALUES(updated_at)""")
                .setParameter(1, p.inn()).setParameter(2, ids.companyId()).setParameter(3, ids.contactId())
                .setParameter(4, p.email()).setParameter(5, Timestamp.from(clock.instant())).executeUpdate());
    }

    private static Optional<Long> firstId(JsonNode list, String field) {
        for (JsonNode row : PortalClient.itemsOf(list)) {
            long id = row.path(field).asLong(0);
            if (id > 0) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** The EMAIL and PHONE multi-fields of a company or contact, with the values the party has. */
    private static Map<String, Object> communications(Party p) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (p.email() != null) {
            fields.put("EMAIL", List.of(Map.of("VALUE", p.email(), "VALUE_TYPE", "WORK")));
        }
        if (p.phone() != null) {
            fields.put("PHONE", List.of(Map.of("VALUE", p.phone(), "VALUE_TYPE", "WORK")));
        }
        return fields;
    }

    /** Another caller is creating this dealer right now; try again shortly. */
    public static class DealerBusy extends RuntimeException {
        public DealerBusy(String inn) {
            super("dealer with INN " + inn + " is being created by another worker");
        }
    }
}
