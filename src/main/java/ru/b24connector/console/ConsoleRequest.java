package ru.b24connector.console;

import jakarta.enterprise.context.RequestScoped;
import ru.b24connector.ui.Texts;

/** What {@link ConsoleGate} found out about the request: the session (null on the login page), address, language. */
@RequestScoped
public class ConsoleRequest {

    private ConsoleSession session;
    private String address = "unknown";
    private String lang = "ru";
    /** The request asked for a language ({@code ?lang=}): the answer remembers it in a cookie. */
    private boolean langChosen;
    private boolean https;
    /** Where the language links of the page lead: the page itself when it was a GET. */
    private String getPath;

    /** Called by the gate once per request (a normal-scoped bean: only through methods, never its fields). */
    void found(ConsoleSession session, String address, String lang, boolean langChosen, boolean https, String getPath) {
        this.getPath = getPath;
        this.session = session;
        this.address = address;
        this.lang = lang;
        this.langChosen = langChosen;
        this.https = https;
    }

    public ConsoleSession session() {
        return session;
    }

    public String address() {
        return address;
    }

    public Texts texts() {
        return Texts.of(lang);
    }

    String lang() {
        return lang;
    }

    boolean langChosen() {
        return langChosen;
    }

    /** The path of a GET request (null for a POST: its answer cannot be asked for again by a link). */
    String getPath() {
        return getPath;
    }

    boolean https() {
        return https;
    }
}
