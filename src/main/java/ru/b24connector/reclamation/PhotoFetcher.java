package ru.b24connector.reclamation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.PermanentJobFailure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

/**
 * Fetches a photo a dealer gave as a URL: https only, only from hosts the administrator allows, never from a
 * loopback, private or link-local address (whatever the name resolves to), within a size and a time limit.
 */
@ApplicationScoped
class PhotoFetcher {

    @Inject
    IntakeConfig config;

    /** Built at the first photo: building one loads the JDK's trust store, which a start need not wait for. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The photo as base64, as the portal takes files. */
    String fetchBase64(String url) {
        URI uri = URI.create(url.trim());
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase();
        if (!"https".equalsIgnoreCase(uri.getScheme())
                || !config.photoHosts().map(h -> h.contains(host)).orElse(false)) {
            throw new PermanentJobFailure("photo URL host is not allowed: " + host);
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
                    throw new PermanentJobFailure("photo URL host " + host + " resolves to a private address");
                }
            }
            HttpResponse<InputStream> response = Http.CLIENT.send(HttpRequest.newBuilder(uri)
                    .timeout(config.photoFetchTimeout()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(config.maxPhotoBytes() + 1);
                if (bytes.length > config.maxPhotoBytes()) {
                    throw new PermanentJobFailure("photo at " + host + " is larger than " + config.maxPhotoBytes() + " bytes");
                }
                return Base64.getEncoder().encodeToString(bytes);
            }
        } catch (IOException e) {
            throw new IllegalStateException("photo from " + host + " not fetched: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching a photo", e);
        }
    }
}
