package ru.b24connector.console;

import jakarta.enterprise.context.RequestScoped;
import ru.b24connector.ui.Texts;

/** What {@link ConsoleGate} found out about the request: the session (null on the login page), address, language. */
@RequestScoped
public class ConsoleRequest {

    ConsoleSession session;
    String address;
    String lang = "ru";
    /** The request asked for a language ({@code ?lang=}): the answer remembers it in a cookie. */
    boolean langChosen;
    boolean https;

    public ConsoleSession session() {
        return session;
    }

    public String address() {
        return address;
    }

    public Texts texts() {
        return Texts.of(lang);
    }

    /** "name (address)", for the action log. */
    String actor() {
        return session == null ? "anonymous (" + address + ")" : session.who() + " (" + session.address() + ")";
    }
}
