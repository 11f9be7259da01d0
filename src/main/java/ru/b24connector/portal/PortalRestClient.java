package ru.b24connector.portal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.quarkus.rest.client.reactive.Url;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Raw HTTP to the portal and its OAuth server. Only {@link PortalTransport} and {@link PortalCredentials} use it;
 * everybody else goes through {@link PortalClient}, so the limiter and the secret handling cannot be bypassed.
 * Answers come back as {@link Response} because the portal's status codes alone do not classify an error.
 */
@RegisterRestClient(configKey = "bitrix24")
@Produces(MediaType.APPLICATION_JSON)
interface PortalRestClient {

    /** {@code POST <base>/<method>} with a JSON body; base is the webhook URL or the OAuth client endpoint. */
    @POST
    @Path("{method}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response call(@Url String base, @RestPath String method, String jsonBody);

    /** Refresh grant at the OAuth server ({@code GET ...?grant_type=refresh_token&...}). */
    @GET
    Response refresh(@Url String oauthUrl, @QueryParam("grant_type") String grantType,
                     @QueryParam("client_id") String clientId, @QueryParam("client_secret") String clientSecret,
                     @QueryParam("refresh_token") String refreshToken);
}
