package ru.b24connector.portal;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static ru.b24connector.testsupport.PortalStubs.fixture;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * Replays the example answers of Bitrix24's own docs for batch calls and limit errors (copied into
 * src/test/resources/b24/responses/docs/ from bitrix-tools/b24-rest-docs): a wrong assumption about their shape
 * fails here, not on a real portal.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class PortalDocExamplesTests {

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    PortalClient client;

    @Inject
    PortalGovernor governor;

    @BeforeEach
    void reset() {
        portal.resetAll();
        governor.reset();
    }

    @Test
    @DisplayName("settings/how-to-call-rest-api/batch.md, 'Обработка ответа': results per key, result_total, and "
            + "result_time without operating billed by duration to each command's own method")
    void batchAnswerOfTheDocs() {
        portal.stubFor(portalCall("batch").willReturn(json(200, fixture("/b24/responses/docs/batch-ok.json"))));

        BatchResult result = client.batch(PortalBatch.create()
                .add("get_user", "user.current", Map.of())
                .add("get_department", "department.get", Map.of("ID", PortalBatch.ref("get_user", "UF_DEPARTMENT", 0))));

        assertThat(result.result("get_user").path("NAME").asText()).isEqualTo("John");
        assertThat(result.result("get_department").get(0).path("NAME").asText()).isEqualTo("DEMO");
        assertThat(result.total("get_department")).hasValue(1);
        assertThat(result.errors()).isEmpty();
        // the docs' result_time has duration but no operating: the governor counts the duration (issue #24.4)
        Map<String, Double> used = new java.util.HashMap<>();
        governor.load().budgets().forEach(b -> used.put(b.method(), b.usedSeconds()));
        assertThat(used).containsKeys("user.current", "department.get").doesNotContainKey("batch");
        assertThat(used.get("user.current")).isCloseTo(0.0032150745391845703, within(1e-9));
        assertThat(used.get("department.get")).isCloseTo(0.006574153900146484, within(1e-9));
    }

    @Test
    @DisplayName("batch.md, 'Пример ошибки (halt = 0)': result is [], each failed command in result_error")
    void batchErrorOfTheDocs() {
        portal.stubFor(portalCall("batch").willReturn(json(200, fixture("/b24/responses/docs/batch-error-halt0.json"))));

        BatchResult result = client.batch(PortalBatch.create()
                .add("get_user", "user.current", Map.of())
                .add("get_department", "department.get", Map.of()));

        assertThat(result.succeeded("get_user")).isFalse();
        assertThatThrownBy(() -> result.result("get_department"))
                .isInstanceOfSatisfying(PortalException.CommandFailed.class, e -> {
                    assertThat(e.code()).isEqualTo("insufficient_scope");
                    assertThat(e.method()).isEqualTo("department.get");
                });
        assertThat(result.limitedUntil()).as("not a limit answer").isEmpty();
    }

    @Test
    @DisplayName("limits.md: a nested call over its method's limit comes back in result_error of the 200 answer "
            + "(the halt = 0 example of batch.md with _includes/system-errors.md's OPERATION_TIME_LIMIT)")
    void batchCommandOverItsLimitAsTheDocsDescribeIt() {
        String answer = fixture("/b24/responses/docs/batch-error-halt0.json")
                .replace("\"error\": \"insufficient_scope\",\n                \"error_description\": \"\"",
                        "\"error\": \"OPERATION_TIME_LIMIT\",\n                \"error_description\": "
                                + "\"Method is blocked due to operation time limit\"");
        assertThat(answer).contains("OPERATION_TIME_LIMIT");
        portal.stubFor(portalCall("batch").willReturn(json(200, answer)));

        BatchResult result = client.batch(PortalBatch.create()
                .add("get_user", "user.current", Map.of())
                .add("get_department", "department.get", Map.of()));

        assertThat(result.limitedUntil("get_user")).isPresent();
        assertThatThrownBy(() -> result.result("get_user")).isInstanceOf(PortalException.CommandLimited.class);
        assertThat(governor.load().budgets()).filteredOn(b -> b.method().equals("user.current"))
                .singleElement().satisfies(b -> assertThat(b.blocked()).isTrue());
    }

    @Test
    @DisplayName("limits.md, 'Ограничения на ресурсоемкость': the time object's operating, operating_reset_at, duration")
    void timeObjectOfTheDocs() {
        portal.stubFor(portalCall("crm.item.list").willReturn(json(200, fixture("/b24/responses/docs/limits-time.json"))));

        PortalAnswer answer = client.answer("crm.item.list", Map.of());

        assertThat(answer.operating()).isEqualTo(3.3076241016387939);
        assertThat(answer.operatingResetAt()).hasValue(1778747792L);
        assertThat(answer.duration()).isEqualTo(0.6196250915527344);
    }

    @Test
    @DisplayName("_includes/system-errors.md: each limit error's HTTP status and code, as the client classifies them")
    void limitErrorsOfTheDocs() {
        assertThat(PortalTransport.toException("crm.deal.add", "QUERY_LIMIT_EXCEEDED", 503, "Too many requests"))
                .isInstanceOf(PortalException.Throttled.class);
        assertThat(PortalTransport.toException("crm.deal.add", "OPERATION_TIME_LIMIT", 429,
                "Method is blocked due to operation time limit")).isInstanceOf(PortalException.OperationLimit.class);
        assertThat(PortalTransport.toException("crm.deal.add", "OVERLOAD_LIMIT", 503,
                "REST API is blocked due to overload")).isInstanceOf(PortalException.Blocked.class);
        assertThat(PortalTransport.toException("crm.deal.add", "INTERNAL_SERVER_ERROR", 500, "Internal server error"))
                .isInstanceOf(PortalException.Unavailable.class).isNotInstanceOf(PortalException.Blocked.class);
    }
}
