package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portal's users as the pages need them: names of the few users a page shows, a search for a colleague, and a
 * check that a chosen colleague exists. {@code user.get} answers 50 users a page ({@code user/user-get.md}), so the
 * pages never read "all users": they ask by id ({@code FILTER[ID]} with an array) or search by name
 * ({@code FILTER[NAME_SEARCH]}). Names are kept for {@link #KEEP} per replica, so a page seldom asks twice.
 */
@ApplicationScoped
public class PortalUsers {

    /** How long a read name is reused; a renamed colleague shows the new name within this time. */
    static final Duration KEEP = Duration.ofHours(1);
    /** Ids per {@code user.get} command: its page size, so one page answers it. */
    static final int IDS_PER_COMMAND = PortalClient.PAGE;
    private static final int MAX_KEPT = 20_000;

    /** A portal user: id, display name, whether active (not dismissed). */
    public record Person(long id, String name, boolean active) {
    }

    /** A search's answer: the first page of matches (at most 50), and how many there are in all. */
    public record Found(List<Person> people, int total) {
    }

    private record Kept(Person person, Instant until) {
    }

    /** After a failed read of names, pages show ids for this long instead of each waiting for the portal again. */
    static final Duration PAUSE_AFTER_FAILURE = Duration.ofMinutes(1);

    private final Map<Long, Kept> kept = new ConcurrentHashMap<>();
    private volatile Instant namesPausedUntil = Instant.MIN;

    @Inject
    PortalClient portal;

    @Inject
    Clock clock;

    /** The {@code user.get} command reading exactly these users (up to 50 ids; batch references allowed). */
    static Map<String, Object> byIds(Collection<?> ids) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("ID", List.copyOf(ids));
        return Map.of("FILTER", filter);
    }

    /** Keeps the users of a {@code user.get} result read elsewhere (a page's opening batch). */
    public void remember(JsonNode users) {
        Instant until = clock.instant().plus(KEEP);
        if (kept.size() > MAX_KEPT) {
            kept.clear();
        }
        for (JsonNode u : PortalClient.itemsOf(users)) {
            Person p = person(u);
            if (p.id() > 0) {
                kept.put(p.id(), new Kept(p, until));
            }
        }
    }

    /** Names of users known on this replica (no portal call). */
    public Map<Long, String> known(Collection<Long> ids) {
        Map<Long, String> names = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (long id : ids) {
            Kept k = kept.get(id);
            if (k != null && k.until().isAfter(now)) {
                names.put(id, k.person().name());
            }
        }
        return names;
    }

    /**
     * Names of {@code ids}: those known, and the rest read with {@code user.get} by id (one call for up to 50, else
     * one {@code batch} of 50 ids a command). When the portal cannot be read, the unknown ones are left out (the page shows {@code #id}).
     */
    public Map<Long, String> names(Collection<Long> ids) {
        Set<Long> wanted = new LinkedHashSet<>();
        ids.forEach(id -> {
            if (id != null && id > 0) {
                wanted.add(id);
            }
        });
        Map<Long, String> names = known(wanted);
        List<Long> missing = wanted.stream().filter(id -> !names.containsKey(id)).toList();
        if (missing.isEmpty() || clock.instant().isBefore(namesPausedUntil)) {
            return names;
        }
        try {
            if (missing.size() <= IDS_PER_COMMAND) {
                remember(portal.call("user.get", byIds(missing)));
            } else {
                PortalBatch batch = PortalBatch.create();
                for (int from = 0; from < missing.size(); from += IDS_PER_COMMAND) {
                    batch.add("u" + from, "user.get",
                            byIds(missing.subList(from, Math.min(missing.size(), from + IDS_PER_COMMAND))));
                }
                BatchResult read = portal.batch(batch);
                for (PortalBatch.Command c : batch.commands()) {
                    if (read.succeeded(c.key())) {
                        remember(read.result(c.key()));
                    }
                }
            }
        } catch (PortalException e) {
            namesPausedUntil = clock.instant().plus(PAUSE_AFTER_FAILURE);
            Log.infof("User names could not be read (%s); they show as ids for a minute", e.getMessage());
        }
        names.putAll(known(missing));
        return names;
    }

    /**
     * Active users whose name, last name (or other personal data the portal indexes) matches {@code query}:
     * {@code user.get} with {@code FILTER[NAME_SEARCH]} and {@code ACTIVE}, the first page of 50 and the total.
     *
     * @throws PortalException when the portal cannot be asked
     */
    public Found search(String query) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("NAME_SEARCH", query);
        filter.put("ACTIVE", true);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("FILTER", filter);
        params.put("sort", "LAST_NAME");
        params.put("order", "ASC");
        params.put("start", 0);
        var answer = portal.answer("user.get", params);
        remember(answer.result());
        List<Person> people = new ArrayList<>();
        for (JsonNode u : PortalClient.itemsOf(answer.result())) {
            Person p = person(u);
            if (p.active() && p.id() > 0) {
                people.add(p);
            }
        }
        return new Found(people, Math.max(people.size(), answer.total().orElse(people.size())));
    }

    /**
     * The active user {@code id}, from what this replica read lately, else asked of the portal by id.
     *
     * @return empty when the portal has no such active user
     * @throws PortalException when the portal cannot be asked
     */
    public Optional<Person> active(long id) {
        Kept k = kept.get(id);
        if (k != null && k.until().isAfter(clock.instant()) && k.person().active()) {
            return Optional.of(k.person());
        }
        JsonNode users = portal.call("user.get", byIds(List.of(id)));
        remember(users);
        for (JsonNode u : PortalClient.itemsOf(users)) {
            Person p = person(u);
            if (p.id() == id) {
                return p.active() ? Optional.of(p) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Forgets every kept name (tests). */
    public void forget() {
        kept.clear();
        namesPausedUntil = Instant.MIN;
    }

    static Person person(JsonNode u) {
        String name = (u.path("NAME").asText("") + " " + u.path("LAST_NAME").asText("")).trim();
        long id = u.path("ID").asLong(0);
        // ACTIVE is a boolean in the docs' answers; older portals may send "Y"/"N"
        JsonNode active = u.path("ACTIVE");
        boolean isActive = active.isMissingNode() || active.isNull() || active.asBoolean(false)
                || "Y".equalsIgnoreCase(active.asText());
        return new Person(id, name.isEmpty() ? "#" + id : name, isActive);
    }
}
