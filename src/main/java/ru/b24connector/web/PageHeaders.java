package ru.b24connector.web;

import jakarta.ws.rs.core.MultivaluedMap;

/** Headers every HTML page of the service sends: its Content-Security-Policy, no sniffing, no referrer, no caching. */
public final class PageHeaders {

    private PageHeaders() {
    }

    public static void apply(MultivaluedMap<String, Object> headers, String contentSecurityPolicy) {
        headers.putSingle("Content-Security-Policy", contentSecurityPolicy);
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "no-referrer");
        headers.putSingle("Cache-Control", "no-store");
    }
}
