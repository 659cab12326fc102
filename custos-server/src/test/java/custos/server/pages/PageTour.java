package custos.server.pages;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page of Custos a person can come to, reached the way a person reaches it: the public pages, the partner's
 * login form and consent screen through a real {@code /oauth2/authorize} request, then, signed in, the account
 * overview and every link of the account navigation. Pages added to the navigation are visited without a change
 * here; a navigation link that answers 404 (a page not built yet) is skipped and named in {@link #skipped()}.
 */
final class PageTour {
    /** What to do on each page the browser arrives at. */
    @FunctionalInterface
    interface AtPage {
        void arrived(String name) throws Exception;
    }

    /** A person's login for the sign-in forms. */
    record Login(String login, String password) {}

    private final WebDriver browser;
    private final String base;
    private final List<String> visited = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    PageTour(WebDriver browser, String base) {
        this.browser = browser;
        this.base = base;
    }

    /** Walks every page, calling {@code at} on each once it is shown. */
    void walk(Login person, AtPage at) throws Exception {
        signedOut();
        visit("home", "/", at);
        visit("problem page (404 not found)", "/problems/not-found", at);
        visit("partner callback with a code", "/partner-callback/orbitel?code=an-authorization-code&state=a-state", at);
        visit("partner callback with a refusal",
                "/partner-callback/orbitel?error=access_denied&error_description=the+person+did+not+consent", at);
        visit("OAuth error page", "/oauth2/authorize?client_id=no-such-partner&response_type=code", at);

        visit("sign-in", "/account/sign-in", at);
        fill(person.login(), "not the password");
        waitFor(By.cssSelector("[role=alert]"));
        arrived("sign-in with a wrong password", at);

        signedOut();
        browser.get(authorizeUrl());
        waitFor(By.name("password"));
        arrived("partner login form", at);
        fill(person.login(), person.password());
        waitFor(By.cssSelector("button[value=allow]"));
        arrived("consent screen", at);
        browser.findElements(By.name("scope")).stream().filter(WebElement::isSelected).forEach(WebElement::click);
        browser.findElement(By.cssSelector("button[value=allow]")).click();
        waitFor(By.cssSelector("[role=alert]"));
        arrived("consent screen with nothing ticked", at);

        // The consent screen's login opened the session the account pages share.
        visit("account overview", "/account", at);
        if (browser.getCurrentUrl().endsWith("/account/sign-in")) {
            throw new AssertionError("the consent screen's login did not sign the person in to their account");
        }
        for (String href : accountLinks()) {
            int status = status(href);
            if (status == 404) {
                skipped.add(href + " (404: not built on this branch)");
                System.out.println("PageTour: skipped " + href + ": it answers 404");
                continue;
            }
            visit("account page " + href, href, at);
        }
    }

    List<String> visited() {
        return List.copyOf(visited);
    }

    List<String> skipped() {
        return List.copyOf(skipped);
    }

    private void visit(String name, String path, AtPage at) throws Exception {
        browser.get(base + path);
        waitFor(By.tagName("main"));
        arrived(name, at);
    }

    private void arrived(String name, AtPage at) throws Exception {
        visited.add(name);
        at.arrived(name);
    }

    /** The account navigation's links, in order, as paths; the overview itself is already visited. */
    private Set<String> accountLinks() {
        Set<String> out = new LinkedHashSet<>();
        for (WebElement a : browser.findElements(By.cssSelector("nav.account-nav a[href]"))) {
            String path = URI.create(a.getAttribute("href")).getRawPath();
            if (!path.equals("/account")) {
                out.add(path);
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("the account overview has no navigation links");
        }
        return out;
    }

    /** The status a page answers the signed-in browser with (its cookies, no redirects followed). */
    private int status(String path) throws Exception {
        String cookies = browser.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (!cookies.isEmpty()) {
            req.header("Cookie", cookies);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private void fill(String login, String password) {
        browser.findElement(By.name("login")).sendKeys(login);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
    }

    private void waitFor(By what) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.findElements(what).isEmpty());
    }

    private void signedOut() {
        browser.get(base + "/");
        browser.manage().deleteAllCookies();
    }

    /** Orbitel asking for all its device integration names: scopes the person may tick, and scopes their settings block. */
    private String authorizeUrl() {
        AuthorizationDetail detail = new AuthorizationDetail.Builder(new AuthorizationType("custos_purpose"))
                .field("purpose", "device-integration")
                .field("scopes", new ArrayList<>(List.of("contacts:read", "calendar:read", "profile:read",
                        "profile.contact:read", "friends:read"))).build();
        return new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("orbitel"))
                .redirectionURI(URI.create("http://localhost:8080/partner-callback/orbitel")).state(new State())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).authorizationDetails(List.of(detail))
                .endpointURI(URI.create(base + "/oauth2/authorize")).build().toURI().toString();
    }
}
