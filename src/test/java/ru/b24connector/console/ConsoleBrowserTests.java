package ru.b24connector.console;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.HeadlessChromium;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.okWithTime;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * A real browser (headless Chromium, as in {@code CardBrowserTests}) uses the console in webhook mode: logs in, sees
 * a dead job on the overview, replays it, runs a dry run and opens a card by the dealer's claim id. Screenshots go to
 * {@code target/screenshots/console-*.png}.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ConsoleBrowserTests {

    private static WebDriver browser;

    @InjectPortalMock
    WireMockServer portal;

    @TestHTTPResource("/")
    URL service;

    @Inject
    JobQueue jobs;

    @Inject
    JobWorker worker;

    @Inject
    PortalClient portalClient;

    @Inject
    DependencyState dependencies;

    @Inject
    LoginLimiter limiter;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.shared();
    }

    @BeforeEach
    void cleanSlate() {
        CleanSlate.reset();
        limiter.clear();
    }

    @AfterEach
    void forgetTheStagedLoad() {
        CleanSlate.reset(); // the budgets and the SMTP outage staged here must not slow or stop other tests
    }

    @Test
    void logInReplayADeadJobDryRunAndOpenACardByClaimId() throws IOException {
        long deadId = jobs.enqueue("mail.decision.console-test", "browser-" + System.nanoTime(),
                Map.of("dealId", 42, "comment", "<script>alert('dealer')</script>", "token", "s3cr3t")).orElseThrow();
        worker.runDue();
        long dealId = ConsoleFixtures.newDealId();
        ConsoleFixtures.claim(dealId, "BR-" + dealId, "7707083893");
        ConsoleFixtures.deal(portal, dealId);
        stageLoad();

        browser.manage().window().setSize(new Dimension(1300, 1500));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(url("/admin"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        HeadlessChromium.screenshot(browser, "console-login.png");
        browser.findElement(By.id("token")).sendKeys(ConsoleLogin.TOKEN);
        browser.findElement(By.id("name")).sendKeys("Анна Кузнецова");
        browser.findElement(By.id("login-submit")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("overview")));
        assertThat(browser.findElement(By.id("dead-" + deadId)).getText()).contains("mail.decision.console-test");
        assertThat(browser.findElements(By.cssSelector("#budgets svg rect.bar"))).hasSizeGreaterThan(2);
        assertThat(browser.findElement(By.id("webhook-note")).getText()).contains("вебхук");
        HeadlessChromium.screenshot(browser, "console-overview.png");

        browser.findElement(By.id("replay-" + deadId)).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
        HeadlessChromium.screenshot(browser, "console-confirm.png");
        browser.findElement(By.id("confirm-yes")).click();
        wait.until(ExpectedConditions.textToBe(By.id("job-status"), "QUEUED"));
        assertThat(browser.findElement(By.id("job-payload")).getText()).contains("<script>alert('dealer')</script>")
                .doesNotContain("s3cr3t");
        assertThat(browser.findElement(By.id("job-history")).getText()).contains("replay", "Анна Кузнецова");
        assertThat(ExpectedConditions.alertIsPresent().apply(browser)).isNull();
        HeadlessChromium.screenshot(browser, "console-job.png");
        browser.get(url("/admin"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("overview")));
        assertThat(browser.findElements(By.id("dead-" + deadId))).isEmpty();
        assertThat(browser.findElement(By.id("actions")).getText()).contains("replay", "job:" + deadId);
        HeadlessChromium.screenshot(browser, "console-overview-after-replay.png");

        browser.get(url("/admin/console/process"));
        browser.findElement(By.id("dr-deal")).sendKeys(String.valueOf(dealId));
        browser.findElement(By.id("dr-yaml")).sendKeys(
                Files.readString(Path.of("src/main/resources/processes/examples/follow-ups.yaml")));
        browser.findElement(By.id("dry-run")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dry-run-result")));
        assertThat(browser.findElement(By.id("dry-run-summary")).getText()).contains("deal " + dealId + " in stage INVOICE");
        assertThat(browser.findElement(By.id("plan-tasks")).getText()).isNotBlank();
        HeadlessChromium.screenshot(browser, "console-process.png");

        browser.get(url("/admin/console/find"));
        browser.findElement(By.id("q")).sendKeys("BR-" + dealId);
        browser.findElement(By.id("find-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("open-" + dealId)));
        HeadlessChromium.screenshot(browser, "console-find.png");
        browser.findElement(By.id("open-" + dealId)).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("card")));
        assertThat(browser.findElement(By.id("claim-text")).getText()).isEqualTo(ConsoleFixtures.XSS);
        assertThat(browser.findElement(By.id("claim-number")).getText()).isEqualTo("BR-" + dealId);
        assertThat(ExpectedConditions.alertIsPresent().apply(browser)).isNull();
        HeadlessChromium.screenshot(browser, "console-card.png");
    }

    /** Methods' budgets the portal reported (some nearly spent) and SMTP down, so the overview has something to show. */
    private void stageLoad() {
        long reset = System.currentTimeMillis() / 1000 + 420;
        portal.stubFor(portalCall("crm.deal.list").willReturn(okWithTime("[]", 118.4, reset)));
        portal.stubFor(portalCall("crm.company.list").willReturn(okWithTime("[]", 31.0, reset - 200)));
        portal.stubFor(portalCall("tasks.task.list").willReturn(okWithTime("[]", 401.5, reset + 100)));
        portalClient.call("crm.deal.list", Map.of());
        portalClient.call("crm.company.list", Map.of());
        portalClient.call("tasks.task.list", Map.of());
        dependencies.down(Dependency.SMTP, "connection refused: smtp.example.ru:25");
    }

    private String url(String path) {
        return service.toString().replaceAll("/$", "") + path;
    }
}
