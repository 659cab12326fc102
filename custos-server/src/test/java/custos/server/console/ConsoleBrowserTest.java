package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.pages.Accessibility;
import custos.server.pages.HeadlessChromium;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 14's console paths in headless Chromium, every page free of WCAG 2.1 A/AA violations (axe-core) and sound in
 * structure: an operator signs in, registers a partner, retires Seekfar's purpose from its page, and Seekfar's next
 * request on the other gateway is denied PURPOSE_RETIRED; an auditor signs in, sees the inventory and the partner's
 * page without a single action, and a form posted anyway is refused.
 */
@Timeout(240)
class ConsoleBrowserTest {
    @RegisterExtension
    static final ConsoleGateways gw = new ConsoleGateways();
    static WebDriver browser;

    @BeforeAll
    static void start() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static void signIn(String login) {
        browser.manage().deleteAllCookies();
        browser.get(gw.base() + "/console/sign-in");
        checkPage("console-sign-in");
        browser.findElement(By.name("login")).sendKeys(login);
        browser.findElement(By.name("password")).sendKeys(ConsoleGateways.STAFF_PASSWORD);
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/console/partners"));
    }

    private static String main() {
        return browser.findElement(By.tagName("main")).getText();
    }

    @Test
    void anOperatorRegistersAPartnerAndRetiresAPurposeWhoseNextRequestIsDenied() throws Exception {
        long person = gw.freshPerson();
        String token = gw.token(person, "seekfar", "social-search", List.of("profile:read"));
        assertThat(gw.partnerGet(token, "/v1/people/" + person + "/profile").statusCode()).isEqualTo(200);

        signIn("op-test");
        checkPage("console-inventory-operator");
        assertThat(main()).contains("Seekfar").contains("Tunewave").contains("operator");

        browser.findElement(By.name("slug")).sendKeys("brightloop");
        browser.findElement(By.name("name")).sendKeys("Brightloop Radio");
        new Select(browser.findElement(By.xpath("//form[@action='/console/partners']//select[@name='kind']"))).selectByValue("MUSIC");
        browser.findElement(By.xpath("//button[normalize-space()='Register the partner']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("/console/partners/brightloop?done=registered"));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("Registered Brightloop Radio");
        assertThat(browser.findElement(By.id("partner-status")).getText()).isEqualTo("active");
        checkPage("console-partner-registered");

        browser.get(gw.base() + "/console/partners/seekfar");
        checkPage("console-partner-seekfar");
        browser.findElement(By.xpath("//button[normalize-space()='Retire social-search']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("done=purpose-retired"));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("PURPOSE_RETIRED");
        var refused = gw.partnerGet(token, "/v1/people/" + person + "/profile");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("PURPOSE_RETIRED");
        assertThat(main()).contains("purpose.retire");

        browser.get(gw.base() + "/console/actions");
        checkPage("console-actions");
        assertThat(main()).contains("partner.register").contains("purpose.retire").contains("op-test");
        browser.get(gw.base() + "/console/partners?q=brightloop&sort=name");
        assertThat(browser.findElements(By.cssSelector("tbody tr"))).hasSize(1);
    }

    @Test
    void anOperatorResolvesAFindingFromTheConsole() {
        signIn("op-test");
        browser.get(gw.base() + "/console/findings");
        checkPage("console-findings");
        assertThat(browser.findElement(By.id("replay")).getText()).contains("settings-violating allows among");
        var form = browser.findElement(By.xpath("//form[@action='/console/findings/resolve'][.//input[@name='finding' and starts-with(@value, 'over-broad-grant:')]]"));
        String id = form.findElement(By.name("finding")).getAttribute("value");
        form.findElement(By.name("note")).sendKeys("messages:delete taken out of the agreement");
        form.findElement(By.xpath(".//button[normalize-space()='Resolve']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("/console/findings?done="));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("Finding " + id + " resolved");
        assertThat(main()).contains("resolved by op-test");
        checkPage("console-finding-resolved");
        assertThat(gw.count("select count(*) from operator_actions where action = 'finding.resolve'")).isEqualTo(1);
    }

    @Test
    void anAuditorRunsAReportOfAPeriodAndDownloadsItAsCsv() throws Exception {
        long person = gw.freshPerson();
        String token = gw.token(person, "tunewave", "share-in-messages", List.of("messages:read"));
        gw.partnerGet(token, "/v1/people/" + person + "/threads");
        signIn("aud-test");
        browser.get(gw.base() + "/console/reports");
        checkPage("console-reports-form");
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        browser.get(gw.base() + "/console/reports?from=" + today + "&to=" + today + "&partner=");
        checkPage("console-report");
        assertThat(main()).contains("Custos access report").contains("tunewave");
        String csvLink = browser.findElement(By.linkText("Download this report as CSV")).getAttribute("href");
        var csv = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(csvLink))
                .header("Cookie", browser.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                        .collect(java.util.stream.Collectors.joining("; "))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(csv.body()).contains("tunewave");
        browser.get(gw.base() + "/console/reports?from=" + today + "&to=2000-01-01");
        assertThat(main()).contains("The period is two dates");
    }

    @Test
    void anAuditorSeesTheInventoryAndAPartnerButCannotAct() {
        signIn("aud-test");
        checkPage("console-inventory-auditor");
        assertThat(main()).contains("Tunewave").contains("auditor").doesNotContain("Register a partner");
        browser.get(gw.base() + "/console/partners?kind=MUSIC&sort=people&dir=desc");
        assertThat(main()).contains("Tunewave").doesNotContain("Northmere");
        browser.get(gw.base() + "/console/partners/northmere");
        checkPage("console-partner-auditor");
        assertThat(browser.findElements(By.cssSelector("main form[method=post] button"))).extracting(e -> e.getText())
                .containsExactly("Sign out");
        // A form posted anyway, with the auditor's own session and CSRF token: refused, nothing changes.
        String csrf = browser.findElement(By.name("csrf")).getAttribute("value");
        ((JavascriptExecutor) browser).executeScript("""
                const f = document.createElement('form'); f.method = 'post'; f.action = '/console/partners/northmere/suspend';
                const c = document.createElement('input'); c.type = 'hidden'; c.name = 'csrf'; c.value = arguments[0];
                f.appendChild(c); document.body.appendChild(f); f.submit();""", csrf);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/suspend"));
        assertThat(main()).contains("only an operator can act");
        checkPage("console-auditor-refused");
        assertThat(gw.count("select count(*) from partners where slug = 'northmere' and status = 'ACTIVE'")).isEqualTo(1);
    }

    private static void checkPage(String name) {
        check(browser, name);
    }

    /** The page in {@code browser} is free of axe violations, sound in structure, not wider than the window; kept as target/{@code name}.png. */
    static void check(WebDriver browser, String name) {
        Accessibility.assertNoViolations(browser, name);
        Accessibility.assertSoundStructure(browser, name);
        Accessibility.assertNoHorizontalScrolling(browser, name);
        try {
            Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
