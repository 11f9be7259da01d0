package ru.b24connector.onec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.mail.Decision;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.OneCWireMock;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static ru.b24connector.onec.OneCTestData.inn;
import static ru.b24connector.onec.OneCTestData.reclamation;
import static ru.b24connector.onec.OneCTestData.ref;

/**
 * Refusals against outages, as a real infobase answers (reference/1c-integration.md §1.10; 1C:Enterprise 8.3.27
 * 17.4.10; hacker-cb/1c-odata packages/client/src/http/error-mapping.ts): a business refusal fails that write alone
 * with 1C's message, 406 waits, 401 stops every request until the settings change.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OneCWireMock.class, scope = TestResourceScope.GLOBAL)
class OneCRefusalTests {

    private static final String TOKEN = "test-1c-token";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    ru.b24connector.outage.DependencyProbes probes;

    @Inject
    DecisionMailService decisions;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCPull pull;

    @Inject
    EntityManager em;

    WireMockServer onec;

    @BeforeEach
    void fresh() {
        onec = OneCTestData.freshExchange(portal, em);
    }

    @AfterEach
    void settingsChanged() {
        odata.forgetRefusedCredentials();
    }

    @Test
    @DisplayName("500 with code -1 on the write back fails that write alone with 1C's message; it does not wait for 1C")
    void aBusinessRefusalFailsTheWriteWithOneCsMessage() {
        String docRef = dealFromOneC();
        onec.stubFor(WireMock.patch(anyUrl()).willReturn(error(500, "-1",
                "Не удалось записать: дата запрета изменения данных 31.10.2026")));

        decide(docRef);
        worker.runDue();

        writeEntry(docRef).body("entries[0].status", equalTo("FAILED"))
                .body("entries[0].error", containsString("дата запрета изменения"));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/jobs?status=DEAD").then().statusCode(200)
                .body(containsString("дата запрета изменения"));
        assertThat(probes.runOnce()).as("1C answered: it is not shown as down").doesNotContainKey(ru.b24connector.outage.Dependency.ONEC);
        onec.verify(1, patchRequestedFor(anyUrl()));
    }

    @Test
    @DisplayName("406 (1C's session pool exhausted) is a wait: the write stays PENDING, then goes when 1C answers")
    void anExhaustedSessionPoolIsAWait() {
        String docRef = dealFromOneC();
        onec.stubFor(WireMock.patch(anyUrl()).willReturn(aResponse().withStatus(406)));

        decide(docRef);
        worker.runDue();
        writeEntry(docRef).body("entries[0].status", equalTo("PENDING")).body("entries[0].error", containsString("406"));

        onec.resetAll();
        onec.stubFor(WireMock.patch(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json;charset=utf-8").withBody("{\"Ref_Key\": \"" + docRef + "\"}")));
        probes.runOnce();
        worker.runDue();
        writeEntry(docRef).body("entries[0].status", equalTo("SENT"));
    }

    @Test
    @DisplayName("401 is one clear line and no more requests to 1C until the settings change; the write waits")
    void refusedCredentialsStopEveryRequest() {
        String docRef = dealFromOneC();
        onec.stubFor(WireMock.any(anyUrl()).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"1C:Enterprise\"")));

        decide(docRef);
        worker.runDue();
        OneCPull.SetReport report = pull.runOnce().sets().get("Document_РекламацияДилера");
        probes.runOnce();
        worker.runDue();

        assertThat(report.complete()).isFalse();
        assertThat(report.error()).contains("ONEC_USER");
        writeEntry(docRef).body("entries[0].status", equalTo("PENDING"));
        onec.verify(1, anyRequestedFor(anyUrl()));
    }

    private String dealFromOneC() {
        String docRef = ref();
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json; charset=utf-8")
                .body(reclamation(docRef, ref(), inn()).getBytes()).post("/api/v1/1c/reclamations").then().statusCode(202);
        worker.runDue();
        return docRef;
    }

    private void decide(String docRef) {
        long dealId = given().header("Authorization", "Bearer " + TOKEN).get("/api/v1/1c/reclamations/" + docRef)
                .then().extract().jsonPath().getLong("dealId");
        decisions.requestDecisionMail(dealId, Decision.REJECTED, "Не гарантийный случай", Optional.of("dealer@example.ru"),
                "test:decision:" + docRef);
    }

    private static io.restassured.response.ValidatableResponse writeEntry(String docRef) {
        return given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?direction=WRITE&ref=" + docRef)
                .then().statusCode(200);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody("{\"odata.error\": {\"code\": \"" + code + "\", \"message\": {\"lang\": \"ru\", \"value\": \"" + message + "\"}}}");
    }
}
