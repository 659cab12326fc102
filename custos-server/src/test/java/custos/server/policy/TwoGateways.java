package custos.server.policy;

import custos.server.CustosApp;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.WorldSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two full gateways on one fresh PostgreSQL database, as two {@code custos serve} processes would run: each its own
 * pool, follower, lease, token cache and HTTP server on port 0. The world is seeded once, before either starts.
 */
public final class TwoGateways implements AutoCloseable {
    static final long SEED = 7;
    static final String PASSWORD = "a long demo password";

    final HttpClient http = HttpClient.newHttpClient();
    final TestStores.Target target;
    public final CustosApp a;
    public final CustosApp b;
    private final AtomicLong nextPerson = new AtomicLong(2);

    public TwoGateways() {
        this(20_000, 2_000);
    }

    /** Both gateways with these rates per second (each partner's, each token's). */
    public TwoGateways(double partnerRate, double tokenRate) {
        target = TestStores.server();
        try (Database seeding = Database.open(target.config())) {
            Seeder.seed(seeding, new WorldSpec(300, SEED), false);
        }
        a = CustosApp.start(Database.open(target.config()), CustosApp.Options.on("127.0.0.1", 0).withRates(partnerRate, tokenRate));
        b = CustosApp.start(Database.open(target.config()), CustosApp.Options.on("127.0.0.1", 0).withRates(partnerRate, tokenRate));
    }

    public static String base(CustosApp app) {
        return "http://127.0.0.1:" + app.port();
    }

    /** A person with a login, no consent in force and the default settings (partners may reach their own data). */
    long freshPerson() {
        long person = nextPerson.getAndIncrement();
        a.oauth().passwords().set(person, "person-" + person, PASSWORD);
        var consents = new JdbiConsentStore(a.database().jdbi());
        consents.forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                .forEach(c -> a.changes().consents().withdraw(c.id(), Instant.now().minusSeconds(1)));
        a.changes().settings().change(person, Map.of(), Instant.now().minusSeconds(1));
        return person;
    }

    /** Waits until both gateways have applied every change made so far (for the test's own set-up and restores). */
    void settle() {
        new ChangeBarrier(a.database().jdbi(), new JdbiPolicyChangeFeed(a.database().jdbi())).awaitEverywhere();
    }

    HttpResponse<String> get(CustosApp app, String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(app) + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            b.close();
        } finally {
            try {
                a.close();
            } finally {
                target.cleanup().run();
            }
        }
    }
}
