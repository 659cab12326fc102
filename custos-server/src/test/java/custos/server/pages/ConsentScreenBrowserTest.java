package custos.server.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import custos.consent.Consent;
import custos.consent.ConsentGrant;
import custos.consent.ConsentMethod;
import custos.people.CategorySetting;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.data.Scope;
import custos.server.CustosApp;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiSettingsStore;
import custos.world.WorldSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The consent screen as a person sees it, in headless Chromium: the partner and its domain, plain words, nothing
 * ticked to begin with, a consent record holding only what the person ticked.
 */
class ConsentScreenBrowserTest {
    static BrowserWorld world;
    static Database db;
    static CustosApp app;
    static WebDriver browser;

    @BeforeAll
    static void start() {
        world = BrowserWorld.start(new WorldSpec(60, 3));
        db = world.db;
        app = world.app;
        browser = world.browser;
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void aPersonSeesThePartnersDomainTicksOneScopeAndOnlyThatOneIsRecorded() throws Exception {
        long person = 9;
        app.oauth().passwords().set(person, "pat", "pat's long password");
        // A first consent (seeded ones withdrawn) under default settings, so nothing is pre-ticked or blocked.
        var consents = new JdbiConsentStore(db.jdbi());
        consents.forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                .forEach(c -> consents.withdraw(c.id(), Instant.now().minusSeconds(2)));
        new JdbiSettingsStore(db.jdbi()).newVersion(person, java.util.Map.of(), Instant.now().minusSeconds(1));
        AuthorizationDetail detail = new AuthorizationDetail.Builder(new AuthorizationType("custos_purpose"))
                .field("purpose", "device-integration")
                .field("scopes", new ArrayList<>(List.of("contacts:read", "calendar:read"))).build();
        URI authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("orbitel"))
                .redirectionURI(URI.create("http://localhost:8080/partner-callback/orbitel")).state(new State())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).authorizationDetails(List.of(detail))
                .endpointURI(URI.create("http://127.0.0.1:" + app.port() + "/oauth2/authorize")).build().toURI();

        signedOut();
        browser.get(authorize.toString());
        browser.findElement(By.name("login")).sendKeys("pat");
        browser.findElement(By.name("password")).sendKeys("pat's long password");
        browser.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.name("scope")).isEmpty());
        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).contains("Orbitel Mobile").contains("at localhost").containsIgnoringCase("contacts").containsIgnoringCase("calendar")
                .containsIgnoringCase("days");
        Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "consent-screen.png"), StandardCopyOption.REPLACE_EXISTING);

        // Nothing starts ticked (a first consent): the person ticks what they want to share, by its label.
        assertThat(browser.findElements(By.name("scope"))).noneMatch(WebElement::isSelected);
        for (WebElement box : browser.findElements(By.name("scope"))) {
            if (box.getAttribute("value").equals("contacts:read")) {
                box.findElement(By.xpath("./ancestor::label")).click();
            }
        }
        browser.findElement(By.cssSelector("button[value=allow]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("code="));

        Consent recorded = consents.forPerson(person).stream()
                .filter(c -> c.partnerId() == 4 && c.purposes().contains("device-integration") && c.withdrawnAt() == null)
                .max(Comparator.comparingLong(Consent::id)).orElseThrow();
        assertThat(recorded.scopes()).contains(Scope.parse("contacts:read")).doesNotContain(Scope.parse("calendar:read"));
        assertThat(recorded.validUntil()).isAfter(Instant.now().plus(Duration.ofDays(29)));
    }

    @Test
    void aRenewalShowsLastTimesChoiceAndABlockedScopeAndDenyEndsTheEarlierConsent() throws Exception {
        long person = 11;
        app.oauth().passwords().set(person, "robin", "robin's long password");
        var consents = new JdbiConsentStore(db.jdbi());
        consents.forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                .forEach(c -> consents.withdraw(c.id(), Instant.now().minusSeconds(2)));
        new JdbiSettingsStore(db.jdbi()).newVersion(person, java.util.Map.of(DataCategory.CALENDAR,
                new CategorySetting(Visibility.FRIENDS, false, false)), Instant.now().minusSeconds(1));
        Consent earlier = consents.record(new ConsentGrant(person, 4, java.util.Set.of("device-integration"),
                java.util.Set.of(Scope.parse("contacts:read")), false, "custos-consent-screen/1", ConsentMethod.CONSENT_SCREEN,
                Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofDays(30))));

        signedOut();
        browser.get(orbitelAuthorize().toString());
        browser.findElement(By.name("login")).sendKeys("robin");
        browser.findElement(By.name("password")).sendKeys("robin's long password");
        browser.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.name("scope")).isEmpty());

        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).contains("What you chose last time").contains("blocked")
                .contains("Your privacy settings keep partners away from your calendar");
        assertThat(browser.findElements(By.name("scope"))).singleElement()
                .satisfies(box -> assertThat(box.getAttribute("value")).isEqualTo("contacts:read"))
                .satisfies(box -> assertThat(box.isSelected()).isTrue());
        assertThat(browser.findElement(By.linkText("Change this setting")).getAttribute("href")).endsWith("/account/settings");

        browser.findElement(By.cssSelector("button[value=deny]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("error=access_denied"));
        assertThat(consents.find(earlier.id()).orElseThrow().withdrawnAt()).isNotNull();
    }

    /** Drops the session cookie an earlier test left (only cookies the current page can see are deleted: path /oauth2/). */
    private static void signedOut() {
        browser.get("http://127.0.0.1:" + app.port() + "/oauth2/authorize");
        browser.manage().deleteAllCookies();
    }

    private static URI orbitelAuthorize() {
        AuthorizationDetail detail = new AuthorizationDetail.Builder(new AuthorizationType("custos_purpose"))
                .field("purpose", "device-integration")
                .field("scopes", new ArrayList<>(List.of("contacts:read", "calendar:read"))).build();
        return new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("orbitel"))
                .redirectionURI(URI.create("http://localhost:8080/partner-callback/orbitel")).state(new State())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).authorizationDetails(List.of(detail))
                .endpointURI(URI.create("http://127.0.0.1:" + app.port() + "/oauth2/authorize")).build().toURI();
    }
}
