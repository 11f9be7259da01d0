package ru.b24connector.onec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.Outages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How 1C's error answers are read: 1C:Enterprise 8.3.27, 17.4.10 "Ошибочные ситуации" (codes 9, 20), 17.4.5.4
 * (401 with code 20 without allowedOnly), 17.4.12 (the published composition), and the decision tree of
 * hacker-cb/1c-odata packages/client/src/http/error-mapping.ts (500 + "-1" = business error, 401 = permission),
 * tested on real УТ 11 / БП 3.0 (reference/1c-integration.md §1.10).
 */
class OneCErrorClassificationTest {

    private static RuntimeException classify(int status, String code) {
        return OneCODataClient.classify(status, code, "Дата запрета изменения 31.10.2026", "PATCH Document_РекламацияДилера(guid'x')",
                "Document_РекламацияДилера", true);
    }

    @Test
    @DisplayName("500 with odata.error.code -1 is 1C refusing the data, not 1C being down (error-mapping.ts)")
    void aBusinessRefusalIsARefusalWithOneCsMessage() {
        RuntimeException e = classify(500, "-1");
        assertThat(e).isInstanceOf(OneCODataClient.BusinessRefusal.class).hasMessageContaining("Дата запрета изменения");
        assertThat(Outages.of(e)).isEmpty();
    }

    @Test
    @DisplayName("406 (no free session), 502, 503, 504 and a 500 without code -1 are waits for 1C")
    void sessionPoolAndGatewayAnswersAreWaits() {
        for (int status : new int[]{406, 502, 503, 504}) {
            assertThat(Outages.of(classify(status, null))).as("HTTP %d", status).contains(Dependency.ONEC);
        }
        assertThat(Outages.of(classify(500, null))).contains(Dependency.ONEC);
    }

    @Test
    @DisplayName("401 without code 20 is the credentials: a wait with one clear line; 401 with code 20 is access to that data (17.4.10)")
    void unauthorizedIsCredentialsUnlessItIsCode20() {
        RuntimeException credentials = classify(401, null);
        assertThat(credentials).isInstanceOf(OneCODataClient.BadCredentials.class).hasMessageContaining("ONEC_USER");
        assertThat(Outages.of(credentials)).contains(Dependency.ONEC);
        RuntimeException rights = classify(401, "20");
        assertThat(rights).isInstanceOf(OneCODataClient.Refused.class).isNotInstanceOf(OneCODataClient.Unavailable.class);
    }

    @Test
    @DisplayName("404 on an entity set names the set and УстановитьСоставСтандартногоИнтерфейсаOData (17.4.12)")
    void aNotFoundEntitySetIsNotPublished() {
        RuntimeException e = OneCODataClient.classify(404, null, null, "GET Catalog_Контрагенты", "Catalog_Контрагенты", false);
        assertThat(e).isInstanceOf(OneCODataClient.NotPublished.class)
                .hasMessageContaining("Catalog_Контрагенты").hasMessageContaining("УстановитьСоставСтандартногоИнтерфейсаOData");
        assertThat(classify(404, "9")).isNotInstanceOf(OneCODataClient.NotPublished.class);
    }
}
