package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.policy.DataCategory;
import custos.server.CustosApp;
import custos.server.http.Json;
import custos.server.policy.ChangeBarrier;
import custos.server.replay.PartnerSide;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partner API end to end: real OAuth flows through the consent screen, real HTTP, the real store, the real
 * audit log. Each test takes a fresh person whose seeded consents are withdrawn, so tests do not interfere.
 */
class PartnerApiTest {
    static final long SEED = 7;
    static final String PASSWORD = "a long demo password";
    static final HttpClient http = HttpClient.newHttpClient();
    static final AtomicLong nextPerson = new AtomicLong(2);

    static TestStores.Target target;
    static Database db;
    static CustosApp app;
    static String base;

    @BeforeAll
    static void start() {
        target = TestStores.server();
        db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(400, SEED), false);
        app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 20));
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        app.close();
        target.cleanup().run();
    }

    /** A person with friends, a login, and no consent in force. */
    static long freshPerson() {
        var consents = new JdbiConsentStore(db.jdbi());
        while (true) {
            long person = nextPerson.getAndIncrement();
            if (app.engine().view().friendsOf(person).length < 2) {
                continue;
            }
            app.oauth().passwords().set(person, "person-" + person, PASSWORD);
            consents.forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                    .forEach(c -> consents.withdraw(c.id(), Instant.now().minusSeconds(1)));
            // Open the person's own data to partners, so each test sets only what it is about.
            new JdbiSettingsStore(db.jdbi()).newVersion(person, Map.of(), Instant.now().minusSeconds(1));
            barrier();
            return person;
        }
    }

    static void barrier() {
        new ChangeBarrier(db.jdbi(), new JdbiPolicyChangeFeed(db.jdbi()), Duration.ofSeconds(2)).awaitEverywhere();
    }

    static String token(long person, String partner, String purpose, List<String> scopes, boolean friends) throws Exception {
        PartnerSide side = new PartnerSide(base, partner, ReferenceWorld.clientSecret(SEED, partner),
                URI.create("http://localhost:8080/partner-callback/" + partner));
        PartnerSide.Result result = side.authorize("person-" + person, PASSWORD, purpose, scopes,
                new PartnerSide.Answer(scopes, friends, true));
        return result.accessToken().orElseThrow(() -> new AssertionError("no token for " + partner + "/" + purpose + ": " + result.refusal()));
    }

    static HttpResponse<String> get(String token, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> res) throws Exception {
        return Json.MAPPER.readTree(res.body());
    }

    static List<String> reasons(HttpResponse<String> res) throws Exception {
        List<String> out = new ArrayList<>();
        json(res).path("reasons").forEach(n -> out.add(n.asText()));
        return out;
    }

    static void assertOk(HttpResponse<String> res) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    static Set<String> keys(JsonNode object) {
        Set<String> out = new HashSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void ownProfileIsCutToTheFieldsOfTheGrantedScope() throws Exception {
        long p = freshPerson();
        String t = token(p, "seekfar", "social-search", List.of("profile:read"), false);
        var res = get(t, "/v1/people/" + p + "/profile");
        assertOk(res);
        assertThat(keys(json(res))).isEqualTo(Set.of("id", "name", "city"));
        assertThat(res.headers().firstValue(Gate.RECEIPT_HEADER)).hasValueSatisfying(v -> assertThat(v).startsWith("index="));
    }

    @Test
    void contactFieldsComeOnlyWithTheContactScope() throws Exception {
        long p = freshPerson();
        String t = token(p, "cartwell", "friend-contact-sync", List.of("profile:read", "profile.contact:read"), false);
        var res = get(t, "/v1/people/" + p + "/profile");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(keys(json(res))).isEqualTo(Set.of("id", "name", "city", "email", "phone"));
        assertThat(res.headers().allValues(Gate.RECEIPT_HEADER)).hasSize(2);
    }

    @Test
    void friendListIsFilteredFriendByFriendOnEachFriendsOwnSettings() throws Exception {
        long p = freshPerson();
        long[] friends = app.engine().view().friendsOf(p);
        // Open one friend's list to friends' partners, close another's: the list must follow each friend.
        var settings = new JdbiSettingsStore(db.jdbi());
        settings.newVersion(friends[0], Map.of(DataCategory.FRIENDS, new CategorySetting(Visibility.FRIENDS, true, true)),
                Instant.now().minusSeconds(1));
        settings.newVersion(friends[1], Map.of(DataCategory.FRIENDS, new CategorySetting(Visibility.FRIENDS, true, false)),
                Instant.now().minusSeconds(1));
        barrier();
        String t = token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        Set<Long> returned = new HashSet<>();
        String cursor = "";
        do {
            var res = get(t, "/v1/people/" + p + "/friends?limit=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            JsonNode body = json(res);
            body.get("items").forEach(item -> {
                assertThat(keys(item)).isEqualTo(Set.of("id", "name"));
                returned.add(item.get("id").asLong());
            });
            cursor = body.path("nextCursor").asText("");
        } while (!cursor.isEmpty());
        Set<Long> expected = new HashSet<>();
        for (long f : friends) {
            PrivacySettings s = app.engine().view().settingsAt(f, Instant.now());
            if ((s == null ? PrivacySettings.DEFAULT : s.of(DataCategory.FRIENDS)).permitsFriendsPartners()) {
                expected.add(f);
            }
        }
        assertThat(returned).isEqualTo(expected).contains(friends[0]).doesNotContain(friends[1]);
    }

    @Test
    void aTokenForOnePersonUsedOnAnUnrelatedPersonLooksExactlyLikeANonexistentOne() throws Exception {
        long p = freshPerson();
        String t = token(p, "seekfar", "social-search", List.of("profile:read"), true);
        long stranger = 1;
        while (stranger == p || app.engine().view().areFriends(p, stranger)) {
            stranger++;
        }
        var unrelated = get(t, "/v1/people/" + stranger + "/profile");
        var missing = get(t, "/v1/people/987654321/profile");
        assertThat(unrelated.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(unrelated).get("detail")).isEqualTo(json(missing).get("detail"));
        assertThat(json(unrelated).get("type").asText()).isEqualTo("/problems/not-found");
    }

    @Test
    void withdrawnConsentIsDeniedOnTheVeryNextRequestWithItsReason() throws Exception {
        long p = freshPerson();
        String t = token(p, "tunewave", "share-in-messages", List.of("messages:read"), false);
        assertOk(get(t, "/v1/people/" + p + "/threads"));
        var consents = new JdbiConsentStore(db.jdbi());
        consents.forPerson(p).stream().filter(c -> c.withdrawnAt() == null)
                .forEach(c -> consents.withdraw(c.id(), Instant.now()));
        barrier();
        var res = get(t, "/v1/people/" + p + "/threads");
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(reasons(res)).contains("CONSENT_REVOKED");
        assertThat(res.headers().firstValue(Gate.RECEIPT_HEADER)).isPresent();
    }

    @Test
    void expiredConsentIsDeniedWithConsentExpired() throws Exception {
        long p = freshPerson();
        String t = token(p, "tunewave", "share-in-messages", List.of("messages:read"), false);
        db.jdbi().useHandle(h -> h.createUpdate("update consents set valid_until = now() - interval '1 second', version = version + 1"
                + " where person_id = :p and withdrawn_at is null").bind("p", p).execute());
        barrier();
        assertThat(reasons(get(t, "/v1/people/" + p + "/threads"))).contains("CONSENT_EXPIRED");
    }

    @Test
    void settingsSwitchedOffDenyEvenWithAFullConsent() throws Exception {
        long p = freshPerson();
        String t = token(p, "orbitel", "device-integration", List.of("contacts:read", "calendar:read"), false);
        assertOk(get(t, "/v1/people/" + p + "/contacts"));
        new JdbiSettingsStore(db.jdbi()).newVersion(p, Map.of(DataCategory.CONTACTS,
                new CategorySetting(Visibility.FRIENDS, false, false)), Instant.now().minusSeconds(1));
        barrier();
        var res = get(t, "/v1/people/" + p + "/contacts");
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(reasons(res)).containsExactly("SETTINGS_FORBID");
        assertThat(get(t, "/v1/people/" + p + "/calendar/events").statusCode()).isEqualTo(200);
    }

    @Test
    void retiredPurposeStopsTheNextRequest() throws Exception {
        long p = freshPerson();
        String t = token(p, "northmere", "pay-friends-in-messages", List.of("messages:read"), false);
        assertOk(get(t, "/v1/people/" + p + "/threads"));
        var partners = new JdbiPartnerStore(db.jdbi());
        var purpose = partners.bySlug("northmere").orElseThrow().agreements().stream()
                .flatMap(a -> a.purpose("pay-friends-in-messages").stream()).findFirst().orElseThrow();
        partners.retirePurpose(purpose.id(), Instant.now().minusSeconds(1));
        barrier();
        assertThat(reasons(get(t, "/v1/people/" + p + "/threads"))).contains("PURPOSE_RETIRED");
    }

    @Test
    void aScopeTheTokenDoesNotCarryIsDeniedAsNotConsented() throws Exception {
        long p = freshPerson();
        String t = token(p, "orbitel", "device-integration", List.of("calendar:read"), false);
        var res = get(t, "/v1/people/" + p + "/contacts");
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(reasons(res)).contains("SCOPE_NOT_CONSENTED");
    }

    @Test
    void sendAndDeleteMessagesAsThePersonButNeverOthersMessages() throws Exception {
        long p = freshPerson();
        long friend = app.engine().view().friendsOf(p)[0];
        String t = token(p, "tunewave", "share-in-messages", List.of("messages:read", "messages:write", "messages:delete"), false);
        var sent = send(t, "POST", "/v1/people/" + p + "/messages", "{\"to\":" + friend + ",\"body\":\"Listen to this\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        long messageId = json(sent).get("id").asLong();
        assertThat(send(t, "DELETE", "/v1/people/" + p + "/messages/" + messageId, null).statusCode()).isEqualTo(204);
        assertThat(send(t, "DELETE", "/v1/people/" + p + "/messages/" + messageId, null).statusCode()).isEqualTo(404);
        var bad = send(t, "POST", "/v1/people/" + p + "/messages", "{\"body\":\"\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("type").asText()).isEqualTo("/problems/bad-request");
    }

    @Test
    void missingAndBadTokensAre401WithWwwAuthenticate() throws Exception {
        var none = get(null, "/v1/people/1/profile");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"custos\"");
        var bad = get("not-a-token", "/v1/people/1/profile");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }

    @Test
    void aTokenOverItsRateIsAnsweredWith429AndRetryAfter() throws Exception {
        long p = freshPerson();
        String t = token(p, "seekfar", "social-search", List.of("profile:read"), false);
        HttpResponse<String> last = null;
        for (int i = 0; i < 400 && (last == null || last.statusCode() == 200); i++) {
            last = get(t, "/v1/people/" + p + "/profile");
        }
        assertThat(last.statusCode()).as(last.body()).isEqualTo(429);
        assertThat(last.headers().firstValue("retry-after")).isPresent();
        assertThat(reasons(last)).contains("RATE_LIMITED");
    }

    @Test
    void everyPartnerPathOfTheOpenApiDocumentIsServedAndAsksForAToken() throws Exception {
        var doc = get(null, "/v1/openapi.json");
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths = json(doc).get("paths");
        int checked = 0;
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            if (!path.startsWith("/v1/people/")) {
                continue;
            }
            String concrete = path.replace("{id}", "1").replace("{threadId}", "1").replace("{messageId}", "1");
            for (Iterator<String> methods = paths.get(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                var res = http.send(HttpRequest.newBuilder(URI.create(base + concrete))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).as(method + " " + path).isEqualTo(401);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(8);
    }
}
