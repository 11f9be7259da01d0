package ru.b24connector.console;

/** Which {@code /admin} paths are the console's HTML pages (a console session, not the bearer token, opens them). */
public final class ConsolePaths {

    /** The login form; open to anyone. */
    public static final String LOGIN = "/admin/login";
    public static final String LOGOUT = "/admin/logout";
    /** Where the pages live (the overview is also at {@code /admin}). */
    public static final String PAGES = "/admin/console";

    private ConsolePaths() {
    }

    /** True for the console's own paths; every other {@code /admin/...} path is the JSON API. */
    public static boolean isConsole(String path) {
        return path.equals("/admin") || path.equals("/admin/") || path.equals(LOGIN) || path.equals(LOGOUT)
                || path.equals(PAGES) || path.startsWith(PAGES + "/");
    }

    /** Console paths that need no session. */
    static boolean isOpen(String path) {
        return path.equals(LOGIN);
    }
}
