package ru.b24connector.portal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a token refresh goes (settings/oauth/auto-renewal.md): the authorization server the portal names. */
class TokenUrlTest {

    @Test
    @DisplayName("auto-renewal.md: server_endpoint https://oauth.bitrix24.tech/rest/ -> https://oauth.bitrix24.tech/oauth/token/")
    void theInstallationsServerEndpointNamesTheTokenEndpoint() {
        assertThat(PortalCredentials.tokenUrl(Optional.empty(), "https://oauth.bitrix24.tech/rest/"))
                .isEqualTo(URI.create("https://oauth.bitrix24.tech/oauth/token/"));
    }

    @Test
    void b24OauthUrlOverridesIt() {
        assertThat(PortalCredentials.tokenUrl(Optional.of(URI.create("https://sso.example.ru/oauth/token/")),
                "https://oauth.bitrix24.tech/rest/")).isEqualTo(URI.create("https://sso.example.ru/oauth/token/"));
    }

    @Test
    void withoutEitherTheDefaultServerIsUsed() {
        assertThat(PortalCredentials.tokenUrl(Optional.empty(), null)).isEqualTo(PortalCredentials.DEFAULT_TOKEN_URL);
        assertThat(PortalCredentials.tokenUrl(Optional.empty(), "not a url")).isEqualTo(PortalCredentials.DEFAULT_TOKEN_URL);
    }
}
