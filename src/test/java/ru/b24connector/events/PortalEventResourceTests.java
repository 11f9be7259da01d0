package ru.b24connector.events;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;


import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class PortalEventResourceTests {

    @Inject
    Inbox inbox;

    @Inject
    JobWorker worker;

    @Test
    void storesAValidEventBeforeAnsweringAndProcessesItOnce() {
        String body = PortalForms.event("ONCRMDEALDELETE", 501).asForm();

        given().contentType(ContentType.URLENC).body(body).post("/b24/events")
                .then().statusCode(200).body("status", equalTo("stored"));
        given().contentType(ContentType.URLENC).body(body).post("/b24/events")
                .then().statusCode(200).body("status", equalTo("duplicate"));
        worker.runDue();
        worker.runDue();

        assertThat(CountingEventListener.processed.get(501L)).hasValue(1);
        String stored = inbox.find(inbox.findId(PortalEventService.SOURCE,
                PortalEventService.dedupKey("ONCRMDEALDELETE", PhpForm.parse(body))).orElseThrow()).orElseThrow().body;
        assertThat(stored).as("tokens are not kept").doesNotContain(PortalForms.APP_TOKEN)
                .doesNotContain("a1b2c3d4e5f60708a1b2c3d4e5f60708");
    }

    @Test
    void refusesAForgedTokenAndStoresNothing() {
        long before = inbox.count(PortalEventService.SOURCE);

        given().contentType(ContentType.URLENC)
                .body(PortalForms.event("ONCRMDEALDELETE", 502).auth("forged-token").asForm())
                .post("/b24/events")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("auth[application_token] is missing or wrong"));

        assertThat(inbox.count(PortalEventService.SOURCE)).isEqualTo(before);
    }

    @Test
    void refusesAMissingTokenAndStoresNothing() {
        long before = inbox.count(PortalEventService.SOURCE);

        given().contentType(ContentType.URLENC)
                .body(PortalForms.event("ONCRMDEALDELETE", 503).auth(null).asForm())
                .post("/b24/events")
                .then().statusCode(401);

        assertThat(inbox.count(PortalEventService.SOURCE)).isEqualTo(before);
        assertThat(CountingEventListener.processed).doesNotContainKey(503L);
    }

    @Test
    void acceptsLongFieldValuesBeyondTheDefaultFormLimit() {
        String body = PortalForms.event("ONCRMDEALDELETE", 504).put("data[FIELDS][COMMENTS]", "Ж".repeat(20_000)).asForm();

        given().contentType(ContentType.URLENC).body(body).post("/b24/events").then().statusCode(200);
        worker.runDue();

        assertThat(CountingEventListener.processed.get(504L)).hasValue(1);
    }

    @Test
    void anEventWithoutCodeIsABadRequest() {
        given().contentType(ContentType.URLENC).body("data%5BFIELDS%5D%5BID%5D=1").post("/b24/events")
                .then().statusCode(400).body("errors[0].field", equalTo("event"))
                .body("errors[0].rule", equalTo("required"));
    }

    @Test
    void eventsNobodyHandlesAreAcknowledgedButNotStored() {
        long before = inbox.count(PortalEventService.SOURCE);

        given().contentType(ContentType.URLENC).body(PortalForms.event("ONCRMLEADADD", 7).asForm()).post("/b24/events")
                .then().statusCode(200).body("status", equalTo("ignored"));

        assertThat(inbox.count(PortalEventService.SOURCE)).isEqualTo(before);
    }
}
