package ru.b24connector.ui;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import ru.b24connector.testsupport.HeadlessChromium;
import ru.b24connector.testsupport.OAuthModeProfile;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;

/**
 * A real browser (headless Chromium from the OS packages, driven by Selenium) opens the tab and the board the way
 * the portal does: a page on the portal's origin POSTs the frame data into an iframe. Screenshots go to
 * {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(OAuthModeProfile.class)
class CardBrowserTests {

    private static WebDriver browser;

    WireMockServer portal = PortalWireMock.server();

    @TestHTTPResource("/")
    URL service;

    @Inject
    PlacementGate gate;

    long dealId;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.shared();
    }

    @BeforeEach
    void installAndSeed() {
        gate.forget();
        FramePortal.install(portal);
        dealId = CardFixtures.newDealId();
        CardFixtures.story(dealId, true);
        CardFixtures.waitingClaim("WAIT-" + dealId);
        String deal = FramePortal.deal(dealId, "Рекламация TS-" + dealId, "C3:PREPARATION", 7);
        FramePortal.stubUsers(portal, deal, "[" + deal + "]");
        portal.stubFor(post(urlPathEqualTo("/rest/tasks.task.add")).willReturn(ok("{\"task\":{\"id\":\"" + (dealId + 7) + "\"}}")));
    }

    @Test
    void theCardShowsTheStoryAsksAQuestionAndShowsDealerTextAsText() throws IOException {
        browser.manage().window().setSize(new Dimension(1000, 2500));
        framed("/crm/deal/details/" + dealId + "/", "/ui/card", FramePortal.MANAGER_TOKEN, "CRM_DEAL_DETAIL_TAB",
                "{\"ID\":\"" + dealId + "\"}");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt("app"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("card")));

        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).contains("Редуктор GBX-24", "GBX-24-0017731", "Какой момент затяжки сальника?",
                "25 Н·м по паспорту", "Ожидает ответа", "Проверить комплектность", "уровень 1",
                "Решение по претензии TS", "<m" + dealId + "@b24-connector.test>", "РК-000123");
        // the dealer's script and markup are characters on the page, nothing ran
        assertThat(browser.findElement(By.id("claim-text")).getText()).isEqualTo(CardFixtures.XSS_TEXT);
        assertThat(browser.findElement(By.cssSelector("#item-1 .product")).getText()).isEqualTo(CardFixtures.XSS_NAME);
        assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
        assertThat(ExpectedConditions.alertIsPresent().apply(browser)).isNull();
        // the photo comes through the service
        WebElement photo = browser.findElement(By.cssSelector("#item-0 .photos img"));
        assertThat(((Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return arguments[0].naturalWidth", photo)).intValue()).isEqualTo(16);

        browser.findElement(By.id("ask-who")).sendKeys("Смирн");
        browser.findElement(By.id("ask-find")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("ask-note")));
        assertThat(browser.findElement(By.id("ask-note")).getText()).isEqualTo("Найдено: 2. Выберите в списке.");
        new Select(browser.findElement(By.id("ask-item"))).selectByValue("0");
        new Select(browser.findElement(By.id("ask-user"))).selectByVisibleText("Олег Смирнов");
        browser.findElement(By.id("ask-question")).sendKeys("Пришлите фото сальника крупным планом");
        browser.findElement(By.id("ask-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));

        WebElement firstItem = browser.findElement(By.id("item-0"));
        assertThat(firstItem.getText()).contains("Пришлите фото сальника крупным планом", "Мария Иванова → Олег Смирнов",
                "Ожидает ответа");
        browser.switchTo().defaultContent();
        screenshot("card.png");
    }

    @Test
    void theBoardShowsTheClaimsAndFilters() throws IOException {
        AnalyticsFixtures.seedManagers(); // tasks other tests left name their managers too
        browser.manage().window().setSize(new Dimension(1000, 1100));
        framed("/marketplace/app/1/", "/ui/board", FramePortal.SUPERVISOR_TOKEN, "LEFT_MENU", "{\"URI\":\"/\"}");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt("app"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("board")));

        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).contains("Рекламация TS-" + dealId, "Мария Иванова", "Проверить комплектность",
                "WAIT-" + dealId, "Медиана времени до решения");
        assertThat(browser.findElements(By.cssSelector(".chart svg rect"))).isNotEmpty();
        browser.switchTo().defaultContent();
        screenshot("board.png");
        browser.switchTo().frame("app");

        browser.findElement(By.id("f-dealer")).sendKeys("Нет такого дилера");
        browser.findElement(By.id("f-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("open-total"), "0"));
        assertThat(browser.findElement(By.id("board")).getText()).doesNotContain("Рекламация TS-" + dealId);

        new Select(browser.findElement(By.id("f-manager"))).selectByVisibleText("Мария Иванова");
        browser.findElement(By.id("f-dealer")).clear();
        browser.findElement(By.id("f-dealer")).sendKeys("Техноснаб");
        browser.findElement(By.id("f-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("open-total"), "1"));
        assertThat(browser.findElement(By.id("board")).getText()).contains("Рекламация TS-" + dealId);

        // hand-over: «choose…» first; the browser does not send an empty choice (the server refuses it too)
        WebElement row = browser.findElement(By.cssSelector("tr[data-deal='" + dealId + "']"));
        assertThat(new Select(row.findElement(By.name("newResponsible"))).getFirstSelectedOption().getText())
                .isEqualTo("выберите…");
        row.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(browser.findElements(By.id("notice"))).isEmpty();
        // a colleague is found by name, among all the portal's users
        browser.findElement(By.id("handover-who")).sendKeys("Смирн");
        browser.findElement(By.id("handover-find")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("handover-note")));
        row = browser.findElement(By.cssSelector("tr[data-deal='" + dealId + "']"));
        new Select(row.findElement(By.name("newResponsible"))).selectByVisibleText("Пётр Смирнов");
        browser.switchTo().defaultContent();
        screenshot("board-handover.png");
        browser.switchTo().frame("app");
        row.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("новому ответственному");
    }

    @Test
    void theBoardsAnalyticsShowStuckClaimsStageTimesManagersDealersAndProducts() throws IOException {
        AnalyticsFixtures.reset();
        long base = CardFixtures.newDealId() * 10;
        AnalyticsFixtures.seed(base, java.time.Instant.now());
        BoardAnalyticsTests.stubSupervisor(portal);
        browser.manage().window().setSize(new Dimension(1000, 2400));
        framed("/marketplace/app/2/", "/ui/board", FramePortal.SUPERVISOR_TOKEN, "LEFT_MENU", "{\"URI\":\"/\"}", "_self");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("analytics")));

        new Select(browser.findElement(By.id("f-days"))).selectByValue("90");
        browser.findElement(By.id("f-period")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("h-analytics"), "90"));
        WebElement analytics = browser.findElement(By.id("analytics"));
        assertThat(analytics.getText()).contains("Дольше обычного в своей стадии", "#" + (base + 4),
                "▲ Проверка", "самая медленная", "Ирина Соколова", "Павел Орлов", "50.0 %", "Мотор MTR-7, 2 кВт",
                "57.1 %");
        assertThat(browser.findElements(By.cssSelector("#analytics .chart svg"))).hasSize(2);
        java.io.File shot = analytics.getScreenshotAs(org.openqa.selenium.OutputType.FILE);
        java.nio.file.Files.copy(shot.toPath(), HeadlessChromium.SHOTS.resolve("board-analytics.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theCardsTimelineShowsMovesByAPersonTheServiceAnd1C() throws IOException {
        CardHistoryTests.moves(dealId, java.time.Instant.now());
        var named = CardHistoryTests.stubStageNames(portal, dealId);
        browser.manage().window().setSize(new Dimension(1000, 3000));
        framed("/crm/deal/details/" + dealId + "/h", "/ui/card", FramePortal.MANAGER_TOKEN, "CRM_DEAL_DETAIL_TAB",
                "{\"ID\":\"" + dealId + "\"}", "_self");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("history")));

        WebElement history = browser.findElement(By.id("history"));
        assertThat(history.getText()).contains("Мария Иванова", "правило процесса", "статус 1С «На рассмотрении»",
                "возврат: не заполнены обязательные поля: Контакт", "Сервис (приём претензий)",
                "Получен ответ от Олег Смирнов", "«Новая» → «На рассмотрении»");
        portal.removeStub(named);
        java.io.File shot = browser.findElement(By.id("h-history")).findElement(By.xpath("..")).getScreenshotAs(
                org.openqa.selenium.OutputType.FILE);
        java.nio.file.Files.copy(shot.toPath(), HeadlessChromium.SHOTS.resolve("card-history.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void framed(String portalPath, String handler, String token, String placement, String options) {
        framed(portalPath, handler, token, placement, options, "app");
    }

    /**
     * The portal's page on its own origin: a form POSTs the frame data into an iframe, as the portal does
     * ({@code target} "app"); "_self" opens the page at the top, for a screenshot of a whole section.
     */
    private void framed(String portalPath, String handler, String token, String placement, String options,
                        String target) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : FramePortal.form(token, placement, options, FramePortal.MEMBER, PortalForms.APP_TOKEN).split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(decode(kv[0]), decode(kv[1]));
        }
        StringBuilder inputs = new StringBuilder();
        fields.forEach((k, v) -> inputs.append("<input type=\"hidden\" name=\"").append(k).append("\" value=\"")
                .append(v.replace("&", "&amp;").replace("\"", "&quot;")).append("\">"));
        String action = service.toString().replaceAll("/$", "") + handler
                + FramePortal.query("acme.bitrix24.ru", "ru").replace("&", "&amp;");
        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bitrix24</title></head>"
                + "<body style=\"margin:0;background:#eef2f4\"><div style=\"height:40px;background:#2fc6f6\"></div>"
                + "<form id=\"f\" method=\"post\" target=\"" + target + "\" action=\"" + action + "\">" + inputs + "</form>"
                + "<iframe name=\"app\" id=\"app\" style=\"width:100%;height:2540px;border:0;background:#fff\"></iframe>"
                + "<script>document.getElementById('f').submit();</script></body></html>";
        portal.stubFor(get(urlPathEqualTo(portalPath)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8").withBody(html)));
        browser.get(portal.baseUrl() + portalPath);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void screenshot(String name) throws IOException {
        HeadlessChromium.screenshot(browser, name);
    }
}
