package ru.b24connector.console;

import io.restassured.response.Response;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Logs in to the console over HTTP and reads the CSRF token of a page, for the console's tests. */
final class ConsoleLogin {

    static final String TOKEN = "test-admin-token";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private ConsoleLogin() {
    }

    /** The session cookie's value. */
    static String session() {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("token", TOKEN).formParam("name", "Анна").post("/admin/login");
        if (r.statusCode() != 303) {
            throw new IllegalStateException("login answered " + r.statusCode());
        }
        return r.getCookie(ConsoleSessions.COOKIE);
    }

    /** The CSRF token in the forms of the page at {@code path}. */
    static String csrf(String session, String path) {
        String html = given().cookie(ConsoleSessions.COOKIE, session).get(path).then().statusCode(200).extract().asString();
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on " + path);
        }
        return m.group(1);
    }
}
