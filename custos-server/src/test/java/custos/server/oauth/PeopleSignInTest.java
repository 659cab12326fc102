package custos.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import custos.server.CustosApp;
import custos.server.http.PublicUrl;
import custos.server.store.Database;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * People signing in at /account over real HTTP through the whole gateway, and the throttle on both doors (the account
 * sign-in and the consent screen's login). Each test browses from its own loopback address (127.0.0.N), so the
 * per-address counts of one test do not spill into another.
 */
@Timeout(120)
class PeopleSignInTest {
    static final long SEED = 9;
    static final String PASSWORD = "a long enough password";
    static final AtomicInteger nextAddress = new AtomicInteger(10);
    static final AtomicInteger nextPerson = new AtomicInteger(2);

    static TestStores.Target target;
    static CustosApp app;
    static String base;

    @BeforeAll
    static void start() {
        target = TestStores.server();
        Database db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(40, SEED), false);
        app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0));
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        target.cleanup().run();
    }

    /** A person with a fresh login of their own. */
    static String freshLogin() {
        int person = nextPerson.getAndIncrement();
        String login = "person" + person;
        app.oauth().passwords().set(person, login, PASSWORD);
        return login;
    }

    static Browser freshBrowser() throws Exception {
        return Browser.from(base, InetAddress.getByName("127.0.0." + nextAddress.getAndIncrement()));
    }

    static HttpResponse<String> signIn(Browser browser, String login, String password) throws Exception {
        HttpResponse<String> form = browser.get("/account/sign-in");
        assertThat(form.statusCode()).isEqualTo(200);
        return browser.post("/account/sign-in", List.of(Map.entry("csrf", Browser.hidden(form.body(), "csrf")),
                Map.entry("login", login), Map.entry("password", password)));
    }

    @Test
    void requestsFromPeopleNotSignedInWriteNoSessionRows() throws Exception {
        long before = sessionRows();
        for (int i = 0; i < 25; i++) {
            Browser browser = freshBrowser();
            assertThat(browser.get("/account/sign-in").statusCode()).isEqualTo(200);
        }
        assertThat(sessionRows()).isEqualTo(before);
        // The anonymous session still carries its CSRF token to the sign-in, which then stores one row.
        assertThat(signIn(freshBrowser(), freshLogin(), PASSWORD).statusCode()).isEqualTo(303);
        assertThat(sessionRows()).isEqualTo(before + 1);
    }

    @Test
    void aForgedOrAlteredAnonymousSessionCookieIsNoSession() throws Exception {
        Browser browser = freshBrowser();
        HttpResponse<String> form = browser.get("/account/sign-in");
        String cookie = form.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(Sessions.COOKIE + "="))
                .findFirst().orElseThrow();
        String value = cookie.substring(Sessions.COOKIE.length() + 1, cookie.indexOf(';'));
        assertThat(value).startsWith("a.");
        String later = value.replaceFirst("\\.(\\d+)\\.", ".9999999999.");
        for (String forged : List.of(later, value.substring(0, value.length() - 2) + "AA", "a.x.1.y", "a.")) {
            HttpResponse<String> res = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/account/sign-in"))
                            .header("Cookie", Sessions.COOKIE + "=" + forged)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("csrf="
                                    + Browser.hidden(form.body(), "csrf") + "&login=x&password=y")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as(forged).isEqualTo(403);
        }
    }

    private static long sessionRows() {
        return app.database().jdbi().withHandle(h -> h.createQuery("select count(*) from oauth_sessions")
                .mapTo(Long.class).one());
    }

    @Test
    void aLoginWithANulOrControlCharacterIsAWrongLoginNotA500() throws Exception {
        String login = freshLogin();
        for (String bad : List.of(login + "\u0000", "\u0000", login.substring(0, 3) + "\u0007" + login.substring(3), "x".repeat(300))) {
            HttpResponse<String> res = signIn(freshBrowser(), bad, PASSWORD);
            assertThat(res.statusCode()).as(bad).isLessThan(500).isNotEqualTo(303);
            assertThat(res.body()).as(bad).contains("role=\"alert\"");
        }
        assertThat(signIn(freshBrowser(), login, PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void demoPersonSignsInSeesTheAccountPageAndSignsOut() throws Exception {
        DemoLogin demo = DemoLogin.forWorld(SEED);
        demo.install(app.oauth().passwords());
        Browser browser = freshBrowser();
        assertThat(Browser.location(browser.get("/account"))).as("anonymous").isEqualTo("/account/sign-in");

        HttpResponse<String> signedIn = signIn(browser, DemoLogin.LOGIN, demo.password());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(Browser.location(signedIn)).isEqualTo("/account");
        HttpResponse<String> account = browser.get("/account");
        assertThat(account.statusCode()).isEqualTo(200);
        String name = app.database().jdbi().withHandle(h -> h.createQuery("select name from people where id = :id")
                .bind("id", ReferenceWorld.DEMO_PERSON).mapTo(String.class).one());
        assertThat(account.body()).contains("You are signed in as <strong>" + name + "</strong>")
                .contains("action=\"/account/sign-out\"");
        assertThat(account.headers().firstValue("cache-control")).hasValue("no-store");

        HttpResponse<String> out = browser.post("/account/sign-out",
                List.of(Map.entry("csrf", Browser.hidden(account.body(), "csrf"))));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(Browser.location(out)).isEqualTo("/account/sign-in");
        assertThat(browser.get("/account").statusCode()).as("signed out").isEqualTo(303);
    }

    @Test
    void sessionCookieIsHttpOnlySameSiteOnTheWholeSiteAndNotSecureOverHttp() throws Exception {
        HttpResponse<String> form = freshBrowser().get("/account/sign-in");
        assertThat(form.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c)
                .startsWith(Sessions.COOKIE + "=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .containsIgnoringCase("Path=/;").doesNotContainIgnoringCase("Secure"));
    }

    @Test
    void sessionCookieIsSecureWhenThePublicUrlIsHttps() throws Exception {
        TestStores.Target other = TestStores.server();
        Database db = Database.open(other.config());
        Seeder.seed(db, new WorldSpec(10, SEED), false);
        try (CustosApp https = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0)
                .withPublicUrl(PublicUrl.parse("https://custos.example.com/")))) {
            HttpResponse<String> form = new Browser("http://127.0.0.1:" + https.port()).get("/account/sign-in");
            assertThat(form.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c)
                    .containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly").containsIgnoringCase("Path=/;"));
        } finally {
            other.cleanup().run();
        }
    }

    @Test
    void signInWithAForgedOrMissingCsrfTokenSignsNobodyIn() throws Exception {
        String login = freshLogin();
        Browser browser = freshBrowser();
        browser.get("/account/sign-in");
        HttpResponse<String> forged = browser.post("/account/sign-in", List.of(Map.entry("csrf", "forged"),
                Map.entry("login", login), Map.entry("password", PASSWORD)));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("This form has expired");
        HttpResponse<String> missing = browser.post("/account/sign-in", List.of(Map.entry("login", login),
                Map.entry("password", PASSWORD)));
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(browser.get("/account").statusCode()).as("still anonymous").isEqualTo(303);
    }

    @Test
    void signOutWithAForgedCsrfTokenLeavesThePersonSignedIn() throws Exception {
        Browser browser = freshBrowser();
        assertThat(signIn(browser, freshLogin(), PASSWORD).statusCode()).isEqualTo(303);
        HttpResponse<String> forged = browser.post("/account/sign-out", List.of(Map.entry("csrf", "forged")));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(browser.get("/account").statusCode()).as("still signed in").isEqualTo(200);
        assertThat(browser.post("/account/sign-out", List.of()).statusCode()).isEqualTo(403);
        assertThat(browser.get("/account").statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void afterFiveWrongPasswordsForALoginEvenTheRightOneIsRefusedWith429AndRetryAfter() throws Exception {
        String login = freshLogin();
        Browser browser = freshBrowser();
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(browser, login, "wrong password " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = signIn(browser, login, PASSWORD);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("retry-after")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 15 * 60L));
        assertThat(locked.body()).contains("Too many failed sign-ins");
        assertThat(browser.get("/account").statusCode()).as("not signed in").isEqualTo(303);
        assertThat(signIn(freshBrowser(), login, PASSWORD).statusCode()).as("the login is locked from anywhere")
                .isEqualTo(429);
        assertThat(signIn(browser, freshLogin(), PASSWORD).statusCode()).as("other logins from here still work")
                .isEqualTo(303);
    }

    @Test
    void afterTwentyFailuresFromAnAddressEveryLoginFromItIsRefused() throws Exception {
        Browser browser = freshBrowser();
        for (int i = 0; i < 20; i++) {
            assertThat(signIn(browser, "nobody" + i + "-" + System.nanoTime(), "wrong password").statusCode())
                    .isEqualTo(401);
        }
        String login = freshLogin();
        HttpResponse<String> locked = signIn(browser, login, PASSWORD);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("retry-after")).isPresent();
        assertThat(signIn(freshBrowser(), login, PASSWORD).statusCode()).as("the same login from elsewhere")
                .isEqualTo(303);
    }

    @Test
    void wrongPasswordsSentInParallelAreCheckedAtMostFiveTimes() throws Exception {
        String login = freshLogin();
        Browser browser = freshBrowser();
        HttpResponse<String> form = browser.get("/account/sign-in");
        List<Map.Entry<String, String>> fields = List.of(Map.entry("csrf", Browser.hidden(form.body(), "csrf")),
                Map.entry("login", login), Map.entry("password", "wrong password"));
        List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 15; i++) {
                answers.add(pool.submit(() -> browser.post("/account/sign-in", fields).statusCode()));
            }
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get());
        }
        assertThat(statuses).filteredOn(s -> s == 401).as("answered after a password check").hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(10);
    }

    @Test
    void theConsentScreensLoginIsThrottledToo() throws Exception {
        String login = freshLogin();
        Browser browser = freshBrowser();
        URI authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("tunewave"))
                .redirectionURI(URI.create("http://localhost:8080/partner-callback/tunewave")).state(new State("t"))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .authorizationDetails(List.of(OAuthServerTest.detail("share-in-messages", List.of("messages:read"))))
                .endpointURI(URI.create(base + "/oauth2/authorize")).build().toURI();
        HttpResponse<String> page = browser.get(OAuthServerTest.pathOf(authorize));
        for (int i = 0; i <= 5; i++) {
            HttpResponse<String> answer = browser.post("/oauth2/login", List.of(
                    Map.entry("csrf", Browser.hidden(page.body(), "csrf")),
                    Map.entry("query", Browser.hidden(page.body(), "query")), Map.entry("login", login),
                    Map.entry("password", i < 5 ? "wrong password" : PASSWORD)));
            if (i < 5) {
                assertThat(answer.statusCode()).isEqualTo(401);
            } else {
                assertThat(answer.statusCode()).as("the right password, after five wrong ones").isEqualTo(429);
                assertThat(answer.headers().firstValue("retry-after")).isPresent();
                assertThat(answer.body()).contains("Too many failed sign-ins");
            }
            page = answer;
        }
        assertThat(signIn(freshBrowser(), login, PASSWORD).statusCode()).as("one throttle for both doors")
                .isEqualTo(429);
    }
}
