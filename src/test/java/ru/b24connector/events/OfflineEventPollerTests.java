package ru.b24connector.events;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.portal.PortalException;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.quarkus.narayana.jta.QuarkusTransaction.requiringNew;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * The offline queue as api-reference/events/offline-events.md, event-offline-get.md, event-offline-clear.md and
 * event-offline-error.md describe it: clear=0 reserves a batch under a process_id, which the service keeps until
 * it has cleared exactly what it stored.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class OfflineEventPollerTests {

    /** event-offline-clear.md's example process_id. */
    private static final String PROCESS = "yh3gu929sf0d32lsfysqas2y1hlpp09q";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    OfflineEventPoller poller;

    @Inject
    JobWorker worker;

    @Inject
    EntityManager em;

    @BeforeEach
    void reset() {
        portal.resetAll();
        ru.b24connector.testsupport.CleanSlate.reset();
        requiringNew().run(() -> em.createNativeQuery("DELETE FROM offline_event_batch").executeUpdate());
    }

    private static String batch(String processId, long firstDeal) {
        return """
                {"process_id":"%s","events":[
                  {"ID":"1","TIMESTAMP_X":"2026-11-22T10:00:00+03:00","EVENT_NAME":"ONCRMDEALDELETE",
                   "EVENT_DATA":{"FIELDS":{"ID":%d}},"EVENT_ADDITIONAL":{"user_id":"1"},"MESSAGE_ID":"m-%d"},
                  {"ID":"2","TIMESTAMP_X":"2026-11-22T10:00:05+03:00","EVENT_NAME":"ONCRMDEALDELETE",
                   "EVENT_DATA":{"FIELDS":{"ID":%d}},"EVENT_ADDITIONAL":{"user_id":"1"},"MESSAGE_ID":"m-%d"}]}"""
                .formatted(processId, firstDeal, firstDeal, firstDeal + 1, firstDeal + 1);
    }

    @Test
    void offlineEventsFeedTheInboxAndAreClearedOnlyAfterStorage() {
        portal.stubFor(portalCall("event.offline.get").willReturn(ok(batch("p-77", 801))));
        portal.stubFor(portalCall("event.offline.clear").willReturn(ok("true")));

        assertThat(poller.pollOnce()).isEqualTo(2);
        worker.runDue();

        assertThat(CountingEventListener.processed.get(801L)).hasValue(1);
        assertThat(CountingEventListener.processed.get(802L)).hasValue(1);
        portal.verify(postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "event.offline.get"))
                .withRequestBody(matchingJsonPath("$.clear", equalTo("0"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "event.offline.clear"))
                .withRequestBody(equalToJson("{\"process_id\":\"p-77\",\"message_id\":[\"m-801\",\"m-802\"]}")));
        assertThat(reserved()).isEmpty();

        // the portal hands out the same rows again (say, our clear was lost): stored once, processed once
        poller.pollOnce();
        worker.runDue();
        assertThat(CountingEventListener.processed.get(801L)).hasValue(1);
    }

    @Test
    @DisplayName("A crash between event.offline.get and event.offline.clear: the next poll re-reads with the kept process_id")
    void aBatchReservedBeforeACrashIsReadAgainWithItsProcessId() {
        portal.stubFor(portalCall("event.offline.get").willReturn(ok(batch(PROCESS, 811))));
        portal.stubFor(portalCall("event.offline.clear").willReturn(error(403, "ACCESS_DENIED", "Access denied!")));

        assertThatThrownBy(() -> poller.pollOnce()).isInstanceOf(PortalException.class);
        assertThat(reserved()).containsExactly(PROCESS);

        // the service stopped here (a crash has the same effect); the portal now hides the reserved batch from calls without its process_id (event-offline-get.md)
        portal.resetAll();
        portal.stubFor(portalCall("event.offline.get").withRequestBody(notContaining("process_id"))
                .willReturn(ok("{\"process_id\":null,\"events\":[]}")));
        portal.stubFor(portalCall("event.offline.get").withRequestBody(matchingJsonPath("$.process_id", equalTo(PROCESS)))
                .willReturn(ok(batch(PROCESS, 811))));
        portal.stubFor(portalCall("event.offline.clear").willReturn(ok("true")));

        poller.pollOnce();
        worker.runDue();

        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "event.offline.clear"))
                .withRequestBody(equalToJson("{\"process_id\":\"" + PROCESS + "\",\"message_id\":[\"m-811\",\"m-812\"]}")));
        assertThat(CountingEventListener.processed.get(811L)).hasValue(1);
        assertThat(CountingEventListener.processed.get(812L)).hasValue(1);
        assertThat(reserved()).isEmpty();
    }

    @Test
    void aRecordThatCannotBeStoredIsMarkedWithEventOfflineError() {
        portal.stubFor(portalCall("event.offline.get").willReturn(ok("""
                {"process_id":"p-err","events":[
                  {"ID":"7","TIMESTAMP_X":"2026-11-22T10:00:00+03:00","EVENT_NAME":"","EVENT_DATA":false,
                   "EVENT_ADDITIONAL":false,"MESSAGE_ID":"m-bad"},
                  {"ID":"8","TIMESTAMP_X":"2026-11-22T10:00:01+03:00","EVENT_NAME":"ONCRMDEALDELETE",
                   "EVENT_DATA":{"FIELDS":{"ID":821}},"EVENT_ADDITIONAL":{"user_id":"1"},"MESSAGE_ID":"m-821"}]}""")));
        portal.stubFor(portalCall("event.offline.error").willReturn(ok("true")));
        portal.stubFor(portalCall("event.offline.clear").willReturn(ok("true")));

        assertThat(poller.pollOnce()).isEqualTo(1);

        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "event.offline.error"))
                .withRequestBody(equalToJson("{\"process_id\":\"p-err\",\"message_id\":[\"m-bad\"]}")));
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "event.offline.clear"))
                .withRequestBody(equalToJson("{\"process_id\":\"p-err\",\"message_id\":[\"m-821\"]}")));
    }

    @Test
    @DisplayName("event-offline-get.md's example answer: TIMESTAMP_X in ISO 8601 with an offset becomes the event's ts")
    void theDocumentedAnswerIsStoredWithItsIsoTimestamp() {
        // copied from api-reference/events/event-offline-get.md, "Обработка ответа"
        portal.stubFor(portalCall("event.offline.get").willReturn(json(200, """
                {
                    "result": {
                        "process_id": null,
                        "events": [
                            {
                                "ID": "1",
                                "TIMESTAMP_X": "2024-07-18T12:32:31+02:00",
                                "EVENT_NAME": "ONCRMLEADADD",
                                "EVENT_DATA": false,
                                "EVENT_ADDITIONAL": false,
                                "MESSAGE_ID": "1"
                            }
                        ]
                    },
                    "time": {
                        "start": 1721299720.388504,
                        "finish": 1721299720.509809,
                        "duration": 0.12130498886108398,
                        "processing": 0.008239030838012695,
                        "date_start": "2024-07-18T12:48:40+02:00",
                        "date_finish": "2024-07-18T12:48:40+02:00",
                        "operating": 0
                    }
                }""")));

        assertThat(poller.pollOnce()).isEqualTo(1);

        String body = requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT body FROM inbox_message WHERE source = 'b24-event' AND dedup_key = 'offline:1'").getSingleResult());
        assertThat(body).contains("event=ONCRMLEADADD").contains("ts=1721298751"); // 2024-07-18T10:32:31Z
        portal.verify(0, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "event.offline.clear")));
    }

    @SuppressWarnings("unchecked")
    private List<String> reserved() {
        return requiringNew().call(() -> (List<String>) em.createNativeQuery(
                "SELECT process_id FROM offline_event_batch").getResultList());
    }
}
