package custos.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import custos.data.DataCategory;
import custos.server.store.JdbiSettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 12's story in headless Chromium at a phone's width (375 px), every page free of WCAG 2.1 A/AA violations
 * (axe-core) and of anything wider than the screen: sign in, see Tunewave and a partner that came through a friend,
 * withdraw Tunewave (its next request: 403 CONSENT_REVOKED), switch partners away from contacts (Orbitel's next
 * request: 403 SETTINGS_FORBID), find both refusals and the friend-reached access in the history, and check the
 * newest entry's receipt offline with {@code custos log verify-receipt}.
 */
@Timeout(240)
class AccountPagesBrowserTest {
    @RegisterExtension
    static final AccountGateways gw = new AccountGateways();
    static WebDriver browser;

    @BeforeAll
    static void start() {
        browser = custos.server.pages.HeadlessChromium.start(375, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPersonWithdrawsTunewaveAndChangesASettingAtPhoneWidthOnPagesWithoutAccessibilityViolations() throws Exception {
        long person = gw.freshPerson();
        long friend = gw.a.engine().view().friendsOf(person)[0];
        gw.seekfarThroughFriend(person, friend);
        String token = gw.token(person, "tunewave", "share-in-messages", List.of("messages:read", "messages:write"), false);
        assertThat(gw.partnerGet(token, "/v1/people/" + person + "/threads").statusCode()).isEqualTo(200);

        String base = AccountGateways.base(gw.a);
        browser.get(base + "/account/sign-in");
        browser.findElement(By.name("login")).sendKeys(AccountGateways.login(person));
        browser.findElement(By.name("password")).sendKeys(AccountGateways.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/account"));

        browser.get(base + "/account/partners");
        checkPage("partners");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Tunewave").contains("Read your private messages")
                .contains("Reached through a friend").contains("Seekfar Search");
        browser.findElement(By.xpath("//button[normalize-space()=\"Withdraw Tunewave's access\"]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("done=withdrawn"));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("You withdrew Tunewave's access");
        var refused = gw.partnerGet(token, "/v1/people/" + person + "/threads");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("CONSENT_REVOKED");
        checkPage("partners-after-withdrawal");

        String orbitel = gw.token(person, "orbitel", "device-integration", List.of("profile:read", "contacts:read"), false);
        assertThat(gw.partnerGet(orbitel, "/v1/people/" + person + "/contacts").statusCode()).isEqualTo(200);
        browser.get(base + "/account/settings");
        checkPage("settings");
        int before = new JdbiSettingsStore(gw.a.database().jdbi()).current(person).version();
        browser.findElement(By.xpath("//input[@name='partners.contacts']/ancestor::label")).click();
        browser.findElement(By.xpath("//input[@name='partners.messages']/ancestor::label")).click();
        browser.findElement(By.xpath("//button[normalize-space()='Save your privacy settings']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("done=saved"));
        var now = new JdbiSettingsStore(gw.a.database().jdbi()).current(person);
        assertThat(now.version()).isEqualTo(before + 1);
        assertThat(now.of(DataCategory.MESSAGES).partnersMayReach()).isFalse();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Your private messages: partners may no longer reach it.");
        checkPage("settings-after-save");
        var forbidden = gw.partnerGet(orbitel, "/v1/people/" + person + "/contacts");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("SETTINGS_FORBID");

        // The history shows both refusals in plain words, and the friend-reached access.
        browser.get(base + "/account/history");
        checkPage("history");
        String history = browser.findElement(By.tagName("main")).getText();
        assertThat(history).contains("You withdrew your consent").contains("Your privacy settings keep partners away from this data")
                .contains("Seekfar").contains("consent reached your data");

        // The newest entry's receipt, downloaded with the person's session, checks offline against the log's key.
        String receiptPath = browser.findElement(By.cssSelector("a[href$='/receipt']")).getAttribute("href");
        String cookie = browser.manage().getCookieNamed(custos.server.oauth.Sessions.COOKIE).getValue();
        var receipt = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(receiptPath)).header("Cookie", custos.server.oauth.Sessions.COOKIE + "=" + cookie).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(receipt.statusCode()).isEqualTo(200);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("receipt", ".json");
        try {
            java.nio.file.Files.writeString(file, receipt.body());
            var out = new java.io.StringWriter();
            var cli = custos.server.cli.CustosCommand.commandLine();
            cli.setOut(new java.io.PrintWriter(out));
            cli.setErr(new java.io.PrintWriter(out));
            int exit = cli.execute("log", "verify-receipt", file.toString(), "--key", gw.a.log().signer().verifierKey());
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains("SETTINGS_FORBID");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** No axe-core WCAG 2.1 A/AA violation, and nothing wider than the 375 px screen; a screenshot in target/. */
    private static void checkPage(String name) throws Exception {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(browser);
        assertThat(results.getViolations()).as("axe violations on %s: %s", name,
                results.getViolations().stream().map(Rule::getId).toList()).isEmpty();
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).longValue()).as("%s wider than the phone's screen by", name).isLessThanOrEqualTo(0);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "account-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
