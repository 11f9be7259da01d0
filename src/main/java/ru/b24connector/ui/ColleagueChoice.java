package ru.b24connector.ui;

import io.quarkus.logging.Log;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.PortalException;

import java.util.List;
import java.util.Optional;

/**
 * Choosing a colleague on the card and the board (ask a colleague, hand over): a search by name instead of a list of
 * every user, and a check of the choice before anything is stored. An empty choice ("choose…") or one that is not an
 * active portal user is refused with a message and changes nothing.
 */
@ApplicationScoped
public class ColleagueChoice {

    /** Shortest and longest search text. */
    static final int MIN_QUERY = 2;
    static final int MAX_QUERY = 100;

    /** A search as the page shows it: the text, the colleagues found (first 50), and a line about the result. */
    @TemplateData
    public record Search(String who, List<CardView.Option> found, String note) {
    }

    /** A refused choice: the message for the page (its language). */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    PortalUsers users;

    /** Searches the portal's active users for {@code who}; a too short text or an unreachable portal gives a note. */
    public Search search(String who, Texts t) {
        String q = who == null ? "" : who.trim();
        if (q.length() < MIN_QUERY || q.length() > MAX_QUERY) {
            return new Search(q.length() > MAX_QUERY ? q.substring(0, MAX_QUERY) : q, List.of(), t.get("choice.short"));
        }
        try {
            PortalUsers.Found found = users.search(q);
            List<CardView.Option> options = found.people().stream()
                    .map(p -> new CardView.Option(p.id(), p.name())).toList();
            String note = options.isEmpty() ? t.get("choice.none")
                    : found.total() > options.size()
                    ? t.get("choice.more").replace("{0}", String.valueOf(options.size())).replace("{1}", String.valueOf(found.total()))
                    : t.get("choice.found").replace("{0}", String.valueOf(options.size()));
            return new Search(q, options, note);
        } catch (PortalException e) {
            Log.infof("A colleague search could not reach the portal: %s", e.getMessage());
            return new Search(q, List.of(), t.get("choice.unavailable"));
        }
    }

    /**
     * The chosen colleague's id.
     *
     * @throws Refused   an empty choice, not a user id, or no active portal user with that id
     * @throws UiRefusal 503 when the portal cannot be asked whether the user exists
     */
    public long chosen(String value, Texts t) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            Log.info("A choice of colleague was refused: empty («choose…»)");
            throw new Refused(t.get("choice.empty"));
        }
        if (!v.matches("[1-9][0-9]{0,17}")) {
            Log.info("A choice of colleague was refused: not a user id");
            throw new Refused(t.get("choice.unknown").replace("{0}", v.length() > 20 ? v.substring(0, 20) : v));
        }
        long id = Long.parseLong(v);
        Optional<PortalUsers.Person> person;
        try {
            person = users.active(id);
        } catch (PortalException e) {
            Log.infof("A chosen colleague could not be checked: %s", e.getMessage());
            throw new UiRefusal(503, "portal unavailable: user " + id + " cannot be checked");
        }
        if (person.isEmpty()) {
            Log.infof("A choice of colleague was refused: user %d is not an active portal user", id);
            throw new Refused(t.get("choice.unknown").replace("{0}", v));
        }
        return id;
    }
}
