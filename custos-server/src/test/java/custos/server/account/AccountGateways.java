package custos.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import custos.consent.Consent;
import custos.people.CategorySetting;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.server.CustosApp;
import custos.server.http.Json;
import custos.server.oauth.Browser;
import custos.server.replay.PartnerSide;
import custos.server.store.JdbiConsentStore;
import custos.server.policy.TwoGateways;
import custos.server.store.JdbiPartnerStore;
import custos.world.ReferenceWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two full gateways on one fresh database ({@link TwoGateways}): the person uses their pages on
 * {@link #a}, the partner calls the API on {@link #b}, so a test sees whether a change made on one instance is in force
 * on the other by the time the page answers. People sign in over real HTTP; partners get tokens through the real
 * OAuth flow and consent screen. A test class registers one ({@code @RegisterExtension}); it closes after the class.
 */
final class AccountGateways implements AutoCloseable, AfterAllCallback {
    static final long SEED = 7;
    static final String PASSWORD = "a long demo password";

    final HttpClient http = HttpClient.newHttpClient();
    private final TwoGateways gateways = new TwoGateways();
    final CustosApp a = gateways.a;
    final CustosApp b = gateways.b;
    private final AtomicLong nextPerson = new AtomicLong(2);

    static String base(CustosApp app) {
        return TwoGateways.base(app);
    }

    /** A person with at least two friends, a login, no consent in force and the default settings. */
    long freshPerson() {
        while (true) {
            long person = nextPerson.getAndIncrement();
            if (a.engine().view().friendsOf(person).length < 2) {
                continue;
            }
            a.oauth().passwords().set(person, login(person), PASSWORD);
            consents().forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                    .forEach(c -> a.changes().consents().withdraw(c.id(), Instant.now().minusSeconds(1)));
            a.changes().settings().change(person, Map.of(), Instant.now().minusSeconds(1));
            return person;
        }
    }

    static String login(long person) {
        return "person-" + person;
    }

    JdbiConsentStore consents() {
        return new JdbiConsentStore(a.database().jdbi());
    }

    /** A browser signed in to gateway a as {@code person}. */
    Browser signIn(long person) throws Exception {
        Browser browser = new Browser(base(a));
        HttpResponse<String> form = browser.get("/account/sign-in");
        HttpResponse<String> in = browser.post("/account/sign-in", List.of(Map.entry("csrf", Browser.hidden(form.body(), "csrf")),
                Map.entry("login", login(person)), Map.entry("password", PASSWORD)));
        assertThat(in.statusCode()).as("sign-in of %d: %s", person, in.body()).isEqualTo(303);
        return browser;
    }

    /** An access token for {@code partner}, the person granting {@code scopes} on the consent screen of gateway a. */
    String token(long person, String partner, String purpose, List<String> scopes, boolean friends) throws Exception {
        PartnerSide side = new PartnerSide(base(a), partner, ReferenceWorld.clientSecret(SEED, partner),
                URI.create("http://localhost:8080/partner-callback/" + partner));
        PartnerSide.Result result = side.authorize(login(person), PASSWORD, purpose, scopes,
                new PartnerSide.Answer(scopes, friends, true));
        return result.accessToken().orElseThrow(() -> new AssertionError("no token for " + partner + ": " + result.refusal()));
    }

    /** The person's live consent for a partner. */
    Consent liveConsent(long person, String partner) {
        long partnerId = new JdbiPartnerStore(a.database().jdbi()).bySlug(partner).orElseThrow().partner().id();
        return consents().forPerson(person).stream().filter(c -> c.partnerId() == partnerId && c.withdrawnAt() == null)
                .findFirst().orElseThrow();
    }

    /** A partner's request on gateway b. */
    HttpResponse<String> partnerGet(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(b) + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a form with the session's CSRF token (read from the account page's sign-out form) and the given fields. */
    static HttpResponse<String> submit(Browser browser, String action, String... fields) throws Exception {
        String csrf = Browser.hidden(browser.get("/account").body(), "csrf");
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("csrf", csrf));
        for (int i = 0; i < fields.length; i += 2) {
            form.add(Map.entry(fields[i], fields[i + 1]));
        }
        return browser.post(action, form);
    }

    /** Lets the person's friends' partners reach every category of their data. */
    void openToFriendsPartners(long person) {
        Map<DataCategory, CategorySetting> open = new EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) {
            open.put(c, new CategorySetting(Visibility.FRIENDS, true, true));
        }
        a.changes().settings().change(person, open, Instant.now().minusSeconds(1));
    }

    /**
     * Lets {@code person} and their friend {@code friend} open to friends' partners, has the friend give Seekfar a consent
     * with friends' data, and Seekfar read the person's profile on it: the person's data reached through a friend.
     * Returns the friend's token.
     */
    String seekfarThroughFriend(long person, long friend) throws Exception {
        a.oauth().passwords().set(friend, login(friend), PASSWORD);
        openToFriendsPartners(person);
        openToFriendsPartners(friend);
        String friendsToken = token(friend, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        assertThat(partnerGet(friendsToken, "/v1/people/" + person + "/profile").statusCode()).isEqualTo(200);
        return friendsToken;
    }

    /** Adds a line to {@code refusals} unless {@code res} has {@code status} and a body saying {@code message}. */
    static void expect(List<String> refusals, int status, String message, HttpResponse<String> res) {
        if (res.statusCode() != status || !res.body().contains(message)) {
            refusals.add(res.statusCode() + " instead of " + status + " \"" + message + "\": "
                    + res.body().substring(0, Math.min(300, res.body().length())));
        }
    }

    /** The reason codes of a partner API refusal. */
    static List<String> reasons(HttpResponse<String> res) throws Exception {
        List<String> out = new ArrayList<>();
        Json.MAPPER.readTree(res.body()).path("reasons").forEach(n -> out.add(n.asText()));
        return out;
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
