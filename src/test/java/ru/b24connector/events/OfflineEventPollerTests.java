package ru.b24connector.events;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class OfflineEventPollerTests {

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    OfflineEventPoller poller;

    @Inject
    JobWorker worker;

    @Test
    void offlineEventsFeedTheInboxAndAreClearedOnlyAfterStorage() {
        portal.resetAll();
        portal.stubFor(portalCall("event.offline.get").willReturn(ok("""
                {"process_id":"p-77","events":[
                  {"ID":"1","TIMESTAMP_X":"22.11.2026 10:00:00","EVENT_NAME":"ONCRMDEALDELETE",
                   "EVENT_DATA":{"FIELDS":{"ID":801}},"EVENT_ADDITIONAL":{"user_id":"1"},"MESSAGE_ID":"m-1"},
                  {"ID":"2","TIMESTAMP_X":"22.11.2026 10:00:05","EVENT_NAME":"ONCRMDEALDELETE",
                   "EVENT_DATA":{"FIELDS":{"ID":802}},"EVENT_ADDITIONAL":{"user_id":"1"},"MESSAGE_ID":"m-2"}]}""")));
        portal.stubFor(portalCall("event.offline.clear").willReturn(ok("true")));

        assertThat(poller.pollOnce()).isEqualTo(2);
        worker.runDue();

        assertThat(CountingEventListener.processed.get(801L)).hasValue(1);
        assertThat(CountingEventListener.processed.get(802L)).hasValue(1);
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "event.offline.clear"))
                .withRequestBody(equalToJson("{\"process_id\":\"p-77\",\"message_id\":[\"m-1\",\"m-2\"]}")));

        // the portal hands out the same rows again (say, our clear was lost): stored once, processed once
        poller.pollOnce();
        worker.runDue();
        assertThat(CountingEventListener.processed.get(801L)).hasValue(1);
    }
}
