package ru.b24connector.testsupport;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Headless Chromium from the OS packages ({@code chromium}, {@code chromium-driver}; paths overridable with
 * {@code -Dchromium=} and {@code -Dchromedriver=}), driven by Selenium, for the browser tests. Screenshots go to
 * {@code target/screenshots/}.
 */
public final class HeadlessChromium {

    public static final Path SHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {
    }

    private static WebDriver shared;

    /** One browser for every browser test of the run, started at first use and quit when the JVM exits. */
    public static synchronized WebDriver shared() throws IOException {
        if (shared == null) {
            WebDriver browser = start();
            Runtime.getRuntime().addShutdownHook(new Thread(browser::quit));
            shared = browser;
        }
        return shared;
    }

    /** A fresh browser with its own profile, in Russian. */
    private static WebDriver start() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--lang=ru-RU", "--user-data-dir=" + profile.toAbsolutePath());
        Files.createDirectories(SHOTS);
        return new ChromeDriver(driver, options);
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>}. */
    public static void screenshot(WebDriver browser, String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
