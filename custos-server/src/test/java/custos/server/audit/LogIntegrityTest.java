package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.AccessEvent;
import custos.audit.ProofVerifier;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.cli.CustosCommand;
import custos.server.http.Json;
import custos.server.http.ProblemException;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 11 §4: the server never signs a fork or a rollback of its own log. Each way of tampering with the stored log
 * is caught before the server signs or appends anything, with one line that names the check and the entry; a tamper
 * while it runs stops signing and appending, and {@code /health} says why.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogIntegrityTest {
    static final String ORIGIN = "custos.local/log";
    static final int ENTRIES = 600;

    @Test
    void editedLeafDataIsCaughtAtStart() {
        assertCaughtAtStart(h -> h.execute("update access_events set leaf_data = set_byte(leaf_data, 5, get_byte(leaf_data, 5) # 1) where idx = 42"),
                "(leaf hash): entry 42's stored leaf hash is not the hash of its stored leaf data");
    }

    @Test
    void editedLeafHashIsCaughtAtStart() {
        assertCaughtAtStart(h -> h.execute("update access_events set leaf_hash = set_byte(leaf_hash, 0, get_byte(leaf_hash, 0) # 1) where idx = 300"),
                "(leaf hash): entry 300's stored leaf hash is not the hash of its stored leaf data");
    }

    @Test
    void deletedTailRowsAreCaughtAtStart() {
        assertCaughtAtStart(h -> h.execute("delete from access_events where idx >= 590"),
                "(head row): the head row's next index is 600 but only the entries below 590 are stored (entries 590..599 were removed)");
    }

    @Test
    void deletedRowsWithTheHeadResetAreCaughtAtStart() {
        assertCaughtAtStart(h -> {
            h.execute("delete from access_events where idx >= 590");
            h.execute("update audit_log_head set next_idx = 590");
        }, "(signed checkpoint): a checkpoint was signed for 600 entries but the store holds 590 (entries 590..599 were removed)");
    }

    @Test
    void anOldEntryRewrittenWithAMatchingHashIsCaughtAtStart() {
        byte[] data = ("\u0001" + "a different history, hashed properly").getBytes(StandardCharsets.UTF_8);
        assertCaughtAtStart(h -> h.createUpdate("update access_events set leaf_data = :d, leaf_hash = :h where idx = 42")
                        .bind("d", data).bind("h", ProofVerifier.leafHash(data)).execute(),
                "(signed root): the stored entries 0..599 do not hash to the root signed for size 600: ");
    }

    @Test
    void aMissingEntryInTheMiddleIsCaughtAtStart() {
        assertCaughtAtStart(h -> h.execute("delete from access_events where idx = 317"),
                "(dense indexes): entry 317 is missing (the stored entries jump from 316 to 318)");
    }

    @Test
    void anUntouchedLogStartsAndSignsNoOtherRoot() {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            fill(db);
            try (LogIntegrator again = new LogIntegrator(db.jdbi(), custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), ORIGIN))) {
                assertThat(again.failure()).isEmpty();
                assertThat(again.tree().size()).isEqualTo(ENTRIES);
            }
        } finally {
            target.cleanup().run();
        }
    }

    /** `custos serve` on a tampered store: exit 1 and one line on stderr, before it listens. */
    @Test
    void serveRefusesATamperedStoreWithOneLineAndExitOne(@TempDir Path dir) {
        Path data = dir.resolve("data");
        try (Database db = Database.open(DbConfig.embedded(data))) {
            fill(db, custos.server.keys.KeySource.under(data)); // the key files serve finds in the data folder
            db.jdbi().useHandle(h -> h.execute("update access_events set leaf_hash = set_byte(leaf_hash, 0, 7) where idx = 9"));
        }
        CommandLine cl = CustosCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute("serve", "--data", data.toString(), "--host", "127.0.0.1", "--port", "0");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("custos: the audit log failed its integrity check (leaf hash): entry 9's");
    }

    /** A tamper while the server runs: it stops signing and appending, partners get 503, /health says why. */
    @Test
    void aTamperWhileRunningStopsSigningAndAppendingAndHealthSaysWhy() throws Exception {
        TestStores.Target target = TestStores.server();
        HttpClient http = HttpClient.newHttpClient();
        try (Database db = Database.open(target.config())) {
            Seeder.seed(db, new WorldSpec(60, 7), false);
            try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0))) {
                String base = "http://127.0.0.1:" + app.port();
                String token = clientToken(http, base, "tunewave", ReferenceWorld.clientSecret(7, "tunewave"));
                assertThat(get(http, base + "/v1/people/1/profile", token).statusCode()).isIn(403, 404); // denied, logged
                for (int i = 0; i < 300; i++) {
                    app.accessLog().append(event(1 + i % 5));
                }
                assertThat(app.log().awaitCheckpoint(301, Duration.ofSeconds(10))).isTrue();
                assertThat(get(http, base + "/health", null).statusCode()).isEqualTo(200);

                byte[] data = ("\u0001" + "rewritten while running").getBytes(StandardCharsets.UTF_8);
                db.jdbi().useHandle(h -> h.createUpdate("update access_events set leaf_data = :d, leaf_hash = :h where idx = 120")
                        .bind("d", data).bind("h", ProofVerifier.leafHash(data)).execute());

                HttpResponse<String> health = get(http, base + "/health", null);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (health.statusCode() == 200 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    health = get(http, base + "/health", null);
                }
                assertThat(health.statusCode()).isEqualTo(503);
                JsonNode body = Json.MAPPER.readTree(health.body());
                assertThat(body.path("checks").path("log").asText()).isEqualTo("DOWN");
                assertThat(body.path("reasons").path("log").asText())
                        .contains("(leaf hash): entry 120 in the store differs from the entry this instance integrated");

                long checkpoints = checkpoints(db.jdbi());
                HttpResponse<String> refused = get(http, base + "/v1/people/1/profile", token);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(Json.MAPPER.readTree(refused.body()).path("type").asText()).endsWith("/problems/unavailable");
                assertThatThrownBy(() -> app.accessLog().append(event(2))).isInstanceOf(ProblemException.class);
                Thread.sleep(600); // longer than the signing interval
                assertThat(checkpoints(db.jdbi())).isEqualTo(checkpoints);
                assertThat(entries(db.jdbi())).isEqualTo(app.log().tree().size());
            }
        } finally {
            target.cleanup().run();
        }
    }

    /** The rollback while running: the last rows deleted and the head reset; nothing smaller is ever signed. */
    @Test
    void aRollbackWhileRunningIsCaughtAndNoSmallerTreeIsSigned() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            fill(db);
            try (LogIntegrator integrator = new LogIntegrator(db.jdbi(), custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), ORIGIN));
                 GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), integrator)) {
                long checkpoints = checkpoints(db.jdbi());
                db.jdbi().useHandle(h -> {
                    h.execute("delete from access_events where idx >= 590");
                    h.execute("update audit_log_head set next_idx = 590");
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (integrator.failure().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(integrator.failure()).get().extracting(Throwable::getMessage).asString()
                        .contains("(head row): the head row's next index is 590 but this instance has integrated 600 entries");
                assertThatThrownBy(() -> log.append(event(3))).isInstanceOf(ProblemException.class);
                Thread.sleep(600); // longer than the signing interval
                assertThat(checkpoints(db.jdbi())).isEqualTo(checkpoints);
                assertThat(entries(db.jdbi())).isEqualTo(590);
            }
        } finally {
            target.cleanup().run();
        }
    }

    /** Fills a fresh store with a signed log, tampers with it, and expects the start to fail before signing anything. */
    private static void assertCaughtAtStart(Consumer<Handle> tamper, String reason) {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            fill(db);
            db.jdbi().useHandle(tamper::accept);
            long checkpoints = checkpoints(db.jdbi());
            long entries = entries(db.jdbi());
            assertThatThrownBy(() -> CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0)).close())
                    .isInstanceOf(LogIntegrityException.class)
                    .hasMessageContaining(reason)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(checkpoints(db.jdbi())).as("nothing signed").isEqualTo(checkpoints);
            assertThat(entries(db.jdbi())).as("nothing appended").isEqualTo(entries);
        } finally {
            target.cleanup().run();
        }
    }

    /** {@link #ENTRIES} entries appended in three rounds, each signed, the last checkpoint covering them all. */
    static void fill(Database db) {
        fill(db, custos.server.keys.KeySource.forThisProcess());
    }

    /** As above, signed and sealed with these keys. */
    static void fill(Database db, custos.server.keys.KeySource keys) {
        try (LogIntegrator integrator = new LogIntegrator(db.jdbi(), keys.logSigner(db.jdbi(), ORIGIN));
             GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), keys.master(db.jdbi()), integrator, () -> 0)) {
            for (int round = 1; round <= 3; round++) {
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    writers.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < ENTRIES / 3 / 4; i++) {
                            log.append(event(1 + i % 7));
                        }
                    }));
                }
                for (Thread w : writers) {
                    w.join();
                }
                assertThat(integrator.awaitCheckpoint(round * ENTRIES / 3, Duration.ofSeconds(10))).isTrue();
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        long signed = db.jdbi().withHandle(h -> h.createQuery("select max(size) from log_checkpoints").mapTo(Long.class).one());
        assertThat(signed).isEqualTo(ENTRIES);
    }

    static AccessEvent event(long subject) {
        return new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "tunewave", "share-in-messages", "profile:read", subject,
                subject, List.of(), Outcome.ALLOW, List.of(), new DecisionBasis(1, 1, 1, 1, 1, 1), 1, List.of("id"));
    }

    static long checkpoints(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from log_checkpoints").mapTo(Long.class).one());
    }

    static long entries(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from access_events").mapTo(Long.class).one());
    }

    static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String clientToken(HttpClient http, String base, String partner, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((partner + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return Json.MAPPER.readTree(res.body()).get("access_token").asText();
    }
}
