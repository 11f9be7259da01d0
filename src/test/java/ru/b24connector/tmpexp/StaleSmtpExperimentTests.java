package ru.b24connector.tmpexp;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.GreenMailResource;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Duration;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
class StaleSmtpExperimentTests {
    @Inject
    ReactiveMailer mailer;

    @Test
    void experiment() throws Exception {
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            String outcome;
            try {
                mailer.send(Mail.withText("a@example.ru", "s" + i, "body")).await().atMost(Duration.ofSeconds(60));
                outcome = "ok";
            } catch (Exception e) {
                outcome = e.toString();
            }
            System.out.println("EXPERIMENT send " + i + " took " + (System.nanoTime() - t) / 1_000_000 + " ms: " + outcome);
            Thread.sleep(35_000);
        }
    }
}
