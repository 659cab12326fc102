package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.data.DataCategory;
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
    static ApiFixture api;
    static CustosApp app;
    static Database db;

    @BeforeAll
    static void start() {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 20));
        app = api.app;
        db = api.db;
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static long freshPerson() {
        return api.freshPerson();
    }

    static void barrier() {
        api.barrier();
    }

    static String token(long person, String partner, String purpose, List<String> scopes, boolean friends) throws Exception {
        return api.token(person, partner, purpose, scopes, friends);
    }

    static HttpResponse<String> get(String token, String path) throws Exception {
        return api.get(token, path);
    }

    static HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
        return api.send(token, method, path, json);
    }

    static JsonNode json(HttpResponse<String> res) throws Exception {
        return ApiFixture.json(res);
    }

    static List<String> reasons(HttpResponse<String> res) throws Exception {
        return ApiFixture.reasons(res);
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
    void denyOnARenewalScreenWithdrawsTheEarlierConsentAndItsTokenIsRefusedOnTheNextRequest() throws Exception {
        long p = freshPerson();
        String t = token(p, "tunewave", "share-in-messages", List.of("messages:read"), false);
        assertOk(get(t, "/v1/people/" + p + "/threads"));
        PartnerSide side = new PartnerSide(api.base, "tunewave", ReferenceWorld.clientSecret(ApiFixture.SEED, "tunewave"),
                URI.create("http://localhost:8080/partner-callback/tunewave"));
        PartnerSide.Result denied = side.authorize("person-" + p, ApiFixture.PASSWORD, "share-in-messages",
                List.of("messages:read"), new PartnerSide.Answer(List.of("messages:read"), false, false));
        assertThat(denied.refusal()).isEqualTo("person_denied");

        // No barrier() here: the Deny itself must have made the withdrawal effective before it answered.
        // The token is revoked, yet it still names this grant: the refusal is decided as CONSENT_REVOKED, logged with
        // a receipt, and so shown in the person's history.
        var res = get(t, "/v1/people/" + p + "/threads");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
        assertThat(reasons(res)).containsExactly("CONSENT_REVOKED");
        assertThat(res.headers().firstValue("Custos-Receipt")).isPresent();
        var consents = new JdbiConsentStore(db.jdbi());
        assertThat(consents.forPerson(p)).filteredOn(c -> c.partnerId() == 1 && c.withdrawnAt() == null).isEmpty();
        long live = db.jdbi().withHandle(h -> h.createQuery("select count(*) from oauth_tokens where person_id = :p"
                + " and revoked_at is null").bind("p", p).mapTo(Long.class).one());
        assertThat(live).isZero();

        // Consenting again later gives the partner a new token; the revoked one stays refused.
        String again = token(p, "tunewave", "share-in-messages", List.of("messages:read"), false);
        assertOk(get(again, "/v1/people/" + p + "/threads"));
        var old = get(t, "/v1/people/" + p + "/threads");
        assertThat(old.statusCode()).isEqualTo(403);
        assertThat(reasons(old)).containsExactly("CONSENT_REVOKED");
    }

    @Test
    void aTokenThePartnerRevokedItselfIsUnknownNotConsentRevoked() throws Exception {
        long p = freshPerson();
        String t = token(p, "tunewave", "share-in-messages", List.of("messages:read"), false);
        String basic = java.util.Base64.getEncoder().encodeToString(("tunewave:" + ReferenceWorld.clientSecret(ApiFixture.SEED,
                "tunewave")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var revoked = api.http.send(java.net.http.HttpRequest.newBuilder(URI.create(api.base + "/oauth2/revoke"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + t)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(get(t, "/v1/people/" + p + "/threads").statusCode()).isEqualTo(401);
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
        api.settings(friend, Map.of()); // lets their friends' partners write to them
        barrier();
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
    void messagesAndEventsComeOutUnderTheirApiFieldNamesWithIsoTimes() throws Exception {
        long p = freshPerson();
        long friend = app.engine().view().friendsOf(p)[0];
        api.settings(friend, Map.of()); // lets their friends' partners write to them
        barrier();
        String t = token(p, "tunewave", "share-in-messages", List.of("messages:read", "messages:write"), false);
        var sent = send(t, "POST", "/v1/people/" + p + "/messages", "{\"to\":" + friend + ",\"body\":\"On repeat\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        long messageId = json(sent).get("id").asLong();
        long threadId = json(sent).get("threadId").asLong();
        Instant sentAt = db.jdbi().withHandle(h -> h.createQuery("select sent_at from messages where id = :m")
                .bind("m", messageId).mapTo(Instant.class).one());
        var messages = get(t, "/v1/people/" + p + "/threads/" + threadId + "/messages?cursor=" + new Cursor(messageId - 1).encode());
        assertOk(messages);
        JsonNode message = json(messages).get("items").get(0);
        assertThat(keys(message)).isEqualTo(Set.of("id", "threadId", "senderId", "body", "sentAt"));
        assertThat(message.get("id").asLong()).isEqualTo(messageId);
        assertThat(message.get("threadId").asLong()).isEqualTo(threadId);
        assertThat(message.get("senderId").asLong()).isEqualTo(p);
        assertThat(message.get("body").asText()).isEqualTo("On repeat");
        assertThat(message.get("sentAt").asText()).isEqualTo(sentAt.toString());

        long eventId = db.jdbi().withHandle(h -> h.createUpdate("insert into calendar_events"
                        + " (owner_id, title, location, starts_at, ends_at) values (:o, 'Dentist', null, :s, :e)")
                .bind("o", p).bind("s", Instant.parse("2025-05-01T09:00:00Z")).bind("e", Instant.parse("2025-05-01T09:30:00Z"))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        String c = token(p, "orbitel", "device-integration", List.of("calendar:read"), false);
        var events = get(c, "/v1/people/" + p + "/calendar/events?cursor=" + new Cursor(eventId - 1).encode());
        assertOk(events);
        JsonNode event = json(events).get("items").get(0);
        assertThat(keys(event)).isEqualTo(Set.of("id", "title", "location", "startsAt", "endsAt"));
        assertThat(event.get("id").asLong()).isEqualTo(eventId);
        assertThat(event.get("title").asText()).isEqualTo("Dentist");
        assertThat(event.get("location").isNull()).isTrue();
        assertThat(event.get("startsAt").asText()).isEqualTo("2025-05-01T09:00:00Z");
        assertThat(event.get("endsAt").asText()).isEqualTo("2025-05-01T09:30:00Z");
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
    void aPartnerReachingMorePeopleThanItsDailyVolumeIsThrottledAndFlaggedForTheAuditors() throws Exception {
        // Reelhouse's sign-in reads profiles; no other test here uses Reelhouse, so its volume can be lowered.
        var partners = new JdbiPartnerStore(db.jdbi());
        long reelhouse = partners.bySlug("reelhouse").orElseThrow().partner().id();
        db.jdbi().useHandle(h -> h.createUpdate("update agreements set daily_people_volume = 2, version = version + 1"
                + " where partner_id = :p").bind("p", reelhouse).execute());
        barrier();
        List<Long> people = List.of(freshPerson(), freshPerson(), freshPerson());
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (long p : people) {
            last = get(token(p, "reelhouse", "sign-in", List.of("profile:read"), false), "/v1/people/" + p + "/profile");
            statuses.add(last.statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(reasons(last)).containsExactly("RATE_LIMITED");
        long toMidnight = BulkGuard.secondsToNextDay(java.time.Instant.now());
        assertThat(last.headers().firstValue("retry-after")).as("new people are refused until the UTC day ends")
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(toMidnight, toMidnight + 60));
        assertThat(last.headers().firstValue(Gate.RECEIPT_HEADER)).as("the refusal is logged too").isPresent();
        var flags = new BulkFlagStore(db.jdbi(), "reader").all();
        assertThat(flags).singleElement().satisfies(f -> {
            assertThat(f.partnerId()).isEqualTo(reelhouse);
            assertThat(f.dailyVolume()).isEqualTo(2);
        });
        assertThat(get(null, "/metrics").body()).contains("custos_bulk_extraction_flags_total{partner=\"" + reelhouse + "\"} 1.0");
        var sameDay = new BulkGuard.Flag(reelhouse, flags.get(0).day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), 2,
                java.time.Instant.now());
        assertThat(new BulkFlagStore(db.jdbi(), "another instance").record(sameDay))
                .as("another instance flagging the same partner-day adds no row and counts nothing").isFalse();
    }

    @Test
    void theProductionServerHasNoUncheckedBaselineRoute() throws Exception {
        // The load benchmark's unchecked read is added by custos-bench only; here it must not exist.
        long p = freshPerson();
        assertThat(get(null, "/bench-unchecked/v1/people/" + p + "/profile").statusCode()).isEqualTo(404);
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
                var res = api.http.send(HttpRequest.newBuilder(URI.create(api.base + concrete))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).as(method + " " + path).isEqualTo(401);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(8);
    }
}
