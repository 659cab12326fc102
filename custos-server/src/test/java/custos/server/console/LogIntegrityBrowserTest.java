package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import custos.server.pages.HeadlessChromium;
import custos.server.store.Database;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.WorldSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The log-integrity panel and a staff member's own password in headless Chromium, every page free of WCAG 2.1 A/AA
 * violations (axe-core): an operator changes their password (a logged action), the panel shows the latest checkpoint
 * consistent with the earlier ones; then a stored entry is rewritten, and "Check now" turns the panel to the failure,
 * with a banner on every console page, the failure in {@code /health} and in the metric. Its own gateway and store,
 * since the tamper ends that log's life.
 */
@Timeout(240)
class LogIntegrityBrowserTest {
    static final String PASSWORD = "a long staff password";
    static TestStores.Target target;
    static CustosApp app;
    static WebDriver browser;

    @BeforeAll
    static void start() {
        target = TestStores.server();
        try (Database seeding = Database.open(target.config())) {
            Seeder.seed(seeding, new WorldSpec(300, 7), false);
        }
        app = CustosApp.start(Database.open(target.config()), CustosApp.Options.on("127.0.0.1", 0));
        new StaffAccounts(app.database().jdbi(), Clock.systemUTC()).add("op-log", StaffRole.OPERATOR, PASSWORD);
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (target != null) {
            target.cleanup().run();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + app.port();
    }

    private static String main() {
        return browser.findElement(By.tagName("main")).getText();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorChangesTheirPasswordThenSeesTheLogConsistentAndATamperedEntryAsAnAlert() throws Exception {
        browser.get(base() + "/console/sign-in");
        browser.findElement(By.name("login")).sendKeys("op-log");
        browser.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/console/partners"));

        browser.get(base() + PasswordSection.PATH);
        checkPage("console-password");
        browser.findElement(By.name("current")).sendKeys(PASSWORD);
        browser.findElement(By.name("next")).sendKeys("my renewed staff password");
        browser.findElement(By.name("again")).sendKeys("my renewed staff password");
        browser.findElement(By.xpath("//button[normalize-space()='Change my password']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("?done="));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("Your password was changed");
        checkPage("console-password-changed");
        long entries = app.database().jdbi().withHandle(h -> h.createQuery("select count(*) from access_events").mapTo(Long.class).one());
        assertThat(app.log().awaitCheckpoint(entries, Duration.ofSeconds(20))).isTrue();

        browser.get(base() + LogIntegritySection.PATH);
        browser.findElement(By.xpath("//button[normalize-space()='Check now']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("?checked"));
        assertThat(browser.findElement(By.id("log-verdict")).getText()).startsWith("Consistent");
        assertThat(main()).contains(entries + " entries").contains("custos.local/log");
        assertThat(browser.findElements(By.id("log-alert"))).isEmpty();
        checkPage("console-log-consistent");

        app.database().jdbi().useHandle(h -> h.execute(
                "update access_events set leaf_data = set_byte(leaf_data, 5, get_byte(leaf_data, 5) # 1) where idx = ?", entries - 1));
        browser.findElement(By.xpath("//button[normalize-space()='Check now']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !d.findElements(By.id("log-alert")).isEmpty());
        assertThat(browser.findElement(By.id("log-verdict")).getText()).startsWith("Failed")
                .contains("do not hash to the root signed for size " + entries);
        assertThat(browser.findElement(By.id("log-alert")).getText()).contains("Log integrity alert");
        assertThat(main()).doesNotContain("None: every check so far");
        checkPage("console-log-failed");
        browser.get(base() + "/console/partners");
        assertThat(browser.findElement(By.id("log-alert")).getText()).contains("do not hash to the root signed");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"logMonitor\":\"DOWN\"").contains("do not hash to the root signed");
        assertThat(get("/metrics").body()).containsPattern("custos_log_monitor_failures_total [1-9]");
    }

    private static void checkPage(String name) {
        ConsoleBrowserTest.check(browser, name);
    }
}
