package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import custos.server.oauth.Browser;
import custos.server.oauth.Sessions;
import custos.server.policy.TwoGateways;
import custos.server.replay.PartnerSide;
import custos.server.store.JdbiConsentStore;
import custos.world.ReferenceWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two gateways on one fresh database ({@link TwoGateways}) with an operator and an auditor: staff act on gateway
 * {@link #a} (console or admin API), partners call the API on {@link #b}, so a test sees whether an action is in force
 * on the other instance by the time its call returns. Everything over real HTTP.
 */
final class ConsoleGateways implements AutoCloseable, AfterAllCallback {
    static final long SEED = 7;
    static final String PASSWORD = "a long demo password";
    static final String STAFF_PASSWORD = "a long staff password";

    final HttpClient http = HttpClient.newHttpClient();
    private final TwoGateways gateways = new TwoGateways();
    final CustosApp a = gateways.a;
    final CustosApp b = gateways.b;
    final StaffAccounts staff = new StaffAccounts(a.database().jdbi(), Clock.systemUTC());
    final Staff operator = staff.add("op-test", StaffRole.OPERATOR, STAFF_PASSWORD);
    final Staff auditor = staff.add("aud-test", StaffRole.AUDITOR, STAFF_PASSWORD);
    final String operatorToken = staff.issueToken(operator);
    final String auditorToken = staff.issueToken(auditor);
    private final AtomicLong nextPerson = new AtomicLong(2);

    String base() {
        return TwoGateways.base(a);
    }

    /** A person with a login, no consent in force and the default settings. */
    long freshPerson() {
        long person = nextPerson.getAndIncrement();
        a.oauth().passwords().set(person, "person-" + person, PASSWORD);
        new JdbiConsentStore(a.database().jdbi()).forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                .forEach(c -> a.changes().consents().withdraw(c.id(), Instant.now().minusSeconds(1)));
        a.changes().settings().change(person, Map.of(), Instant.now().minusSeconds(1));
        return person;
    }

    /** An access token of a world partner (client id = slug) on gateway a, the person granting every scope asked. */
    String token(long person, String partner, String purpose, List<String> scopes) throws Exception {
        PartnerSide side = new PartnerSide(base(), partner, ReferenceWorld.clientSecret(SEED, partner),
                URI.create("http://localhost:8080/partner-callback/" + partner));
        PartnerSide.Result result = side.authorize("person-" + person, PASSWORD, purpose, scopes,
                new PartnerSide.Answer(scopes, false, true));
        return result.accessToken().orElseThrow(() -> new AssertionError("no token for " + partner + ": " + result.refusal()));
    }

    /** A partner's request on gateway b. */
    HttpResponse<String> partnerGet(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(TwoGateways.base(b) + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An admin API call on gateway a with a bearer credential (null: none), a JSON body for POST (null: empty). */
    HttpResponse<String> admin(String token, String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base() + path));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            req.headers(headers);
        }
        if (method.equals("GET")) {
            req.GET();
        } else {
            req.header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A browser signed in to gateway a's console as {@code login}. */
    Browser console(String login) throws Exception {
        Browser browser = new Browser(base());
        HttpResponse<String> form = browser.get("/console/sign-in");
        HttpResponse<String> in = browser.post("/console/sign-in", List.of(Map.entry("csrf", Browser.hidden(form.body(), "csrf")),
                Map.entry("login", login), Map.entry("password", STAFF_PASSWORD)));
        assertThat(in.statusCode()).as("console sign-in of %s: %s", login, in.body()).isEqualTo(303);
        return browser;
    }

    /** A browser signed in to gateway a's people's pages as {@code person}. */
    Browser person(long person) throws Exception {
        Browser browser = new Browser(base());
        HttpResponse<String> form = browser.get("/account/sign-in");
        HttpResponse<String> in = browser.post("/account/sign-in", List.of(Map.entry("csrf", Browser.hidden(form.body(), "csrf")),
                Map.entry("login", "person-" + person), Map.entry("password", PASSWORD)));
        assertThat(in.statusCode()).isEqualTo(303);
        return browser;
    }

    /** The session cookie and CSRF token of a console sign-in made without a cookie jar (for admin API calls by cookie). */
    String[] consoleCookieAndCsrf(String login) throws Exception {
        HttpClient raw = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> form = raw.send(HttpRequest.newBuilder(URI.create(base() + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String anonymous = cookie(form);
        String body = "csrf=" + java.net.URLEncoder.encode(Browser.hidden(form.body(), "csrf"), java.nio.charset.StandardCharsets.UTF_8)
                + "&login=" + login + "&password=" + java.net.URLEncoder.encode(STAFF_PASSWORD, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> in = raw.send(HttpRequest.newBuilder(URI.create(base() + "/console/sign-in"))
                .header("Cookie", Sessions.COOKIE + "=" + anonymous).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String session = cookie(in);
        HttpResponse<String> page = raw.send(HttpRequest.newBuilder(URI.create(base() + "/console/partners"))
                .header("Cookie", Sessions.COOKIE + "=" + session).build(), HttpResponse.BodyHandlers.ofString());
        return new String[] {session, Browser.hidden(page.body(), "csrf")};
    }

    private static String cookie(HttpResponse<?> res) {
        for (String c : res.headers().allValues("set-cookie")) {
            Matcher m = Pattern.compile(Sessions.COOKIE + "=([^;]+)").matcher(c);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no session cookie set");
    }

    long count(String sql) {
        return a.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    long purposeId(String partner, String code) {
        return a.database().jdbi().withHandle(h -> h.createQuery("""
                        select u.id from purposes u join agreements g on g.id = u.agreement_id join partners p on p.id = g.partner_id
                        where p.slug = :s and u.code = :c and u.retired_at is null order by u.id limit 1""")
                .bind("s", partner).bind("c", code).mapTo(Long.class).one());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        gateways.close();
    }
}
