package custos.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.AccessEvent;
import custos.people.CategorySetting;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.server.CustosApp;
import custos.server.audit.AccessHistory;
import custos.server.http.Json;
import custos.server.policy.ChangeBarrier;
import custos.server.replay.PartnerSide;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running gateway on a fresh database seeded with a small reference world, and what a partner does to it: real
 * OAuth flows through the consent screen, real HTTP. Each fresh person has their seeded consents withdrawn and their
 * own data opened to partners, so a test sets only what it is about.
 */
final class ApiFixture implements AutoCloseable {
    static final long SEED = 7;
    static final String PASSWORD = "a long demo password";

    final HttpClient http = HttpClient.newHttpClient();
    final TestStores.Target target;
    final Database db;
    final CustosApp app;
    final String base;
    private final AtomicLong nextPerson = new AtomicLong(2);

    ApiFixture(CustosApp.Options options) {
        target = TestStores.server();
        db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(400, SEED), false);
        app = CustosApp.start(db, options);
        base = "http://127.0.0.1:" + app.port();
    }

    /** A person with at least two friends, a login, and no consent in force. */
    long freshPerson() {
        var consents = new JdbiConsentStore(db.jdbi());
        while (true) {
            long person = nextPerson.getAndIncrement();
            if (app.engine().view().friendsOf(person).length < 2) {
                continue;
            }
            app.oauth().passwords().set(person, "person-" + person, PASSWORD);
            consents.forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                    .forEach(c -> consents.withdraw(c.id(), Instant.now().minusSeconds(1)));
            new JdbiSettingsStore(db.jdbi()).newVersion(person, Map.of(), Instant.now().minusSeconds(1));
            barrier();
            return person;
        }
    }

    /** Waits until every instance on the database has applied every policy change made so far. */
    void barrier() {
        new ChangeBarrier(db.jdbi(), new JdbiPolicyChangeFeed(db.jdbi()), Duration.ofSeconds(2)).awaitEverywhere();
    }

    /** An access token from the authorization code flow, the person granting {@code scopes} (and friends' data or not). */
    String token(long person, String partner, String purpose, List<String> scopes, boolean friends) throws Exception {
        PartnerSide side = new PartnerSide(base, partner, ReferenceWorld.clientSecret(SEED, partner),
                URI.create("http://localhost:8080/partner-callback/" + partner));
        PartnerSide.Result result = side.authorize("person-" + person, PASSWORD, purpose, scopes,
                new PartnerSide.Answer(scopes, friends, true));
        return result.accessToken().orElseThrow(() -> new AssertionError("no token for " + partner + "/" + purpose + ": " + result.refusal()));
    }

    /** A client-credentials token: the partner's own, bound to no person and no purpose. */
    String clientToken(String partner) throws Exception {
        String basic = Base64.getEncoder().encodeToString(
                (partner + ":" + ReferenceWorld.clientSecret(SEED, partner)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new AssertionError("client credentials refused: " + res.body());
        }
        return Json.MAPPER.readTree(res.body()).get("access_token").asText();
    }

    HttpResponse<String> get(String token, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> res) throws Exception {
        return Json.MAPPER.readTree(res.body());
    }

    /** The reason codes a denial's problem document lists. */
    static List<String> reasons(HttpResponse<String> res) throws Exception {
        List<String> out = new ArrayList<>();
        json(res).path("reasons").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The index of the audit entry behind an answer: the last receipt it carries. */
    static long receiptIndex(HttpResponse<String> res) {
        String receipts = res.headers().allValues(Gate.RECEIPT_HEADER).stream().reduce((a, b) -> a + ", " + b)
                .orElseThrow(() -> new AssertionError("no " + Gate.RECEIPT_HEADER + " on " + res.statusCode() + " " + res.body()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("index=(\\d+)").matcher(receipts);
        long index = -1;
        while (m.find()) {
            index = Long.parseLong(m.group(1));
        }
        if (index < 0) {
            throw new AssertionError("no index in " + receipts);
        }
        return index;
    }

    /** The audit entry behind an answer, read (decrypted) from the history of its subject {@code subject}. */
    AccessEvent entry(HttpResponse<String> res, long subject) {
        long index = receiptIndex(res);
        return new AccessHistory(db.jdbi()).of(subject, 500).stream().filter(e -> e.index() == index)
                .map(AccessHistory.Entry::event).filter(java.util.Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("entry " + index + " is not in " + subject + "'s history"));
    }

    /** A settings version for {@code person} with every category open to partners, and friends' partners as given. */
    void settings(long person, Map<DataCategory, Boolean> friendsPartners) {
        Map<DataCategory, CategorySetting> m = new java.util.EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) {
            m.put(c, new CategorySetting(Visibility.FRIENDS, true, friendsPartners.getOrDefault(c, true)));
        }
        new JdbiSettingsStore(db.jdbi()).newVersion(person, m, Instant.now().minusSeconds(1));
    }

    @Override
    public void close() {
        app.close();
        target.cleanup().run();
    }
}
