package custos.server.witness;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.audit.CosignatureSigner;
import custos.audit.CosignatureVerifier;
import custos.audit.NoteVerifier;
import custos.audit.Checkpoint;
import custos.audit.LogAuditor;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.cli.CommandRun;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with two real witnesses (issue 15 §1): every checkpoint it serves comes to carry both cosignatures,
 * {@code log verify --witness --min-witnesses} checks them, a witness that is down holds up nothing, and a store
 * rewritten under the same log key is refused by both witnesses.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WitnessedLogTest {
    final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    /** Two witness keys, each with a free port, as the gateway's setting lists them. */
    record Witnesses(List<Path> keys, List<Integer> ports, List<WitnessPeer> peers) {
        WitnessServer start(Path dir, int i, String logKey) throws Exception {
            return WitnessCommand.start(dir.resolve("state" + i), keys.get(i), List.of(logKey), "127.0.0.1", ports.get(i));
        }

        String vkey(int i) {
            return peers.get(i).verifier().verifierKey();
        }
    }

    Witnesses witnesses(int n) throws Exception {
        List<Path> keys = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<WitnessPeer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path key = dir.resolve("w" + i + ".key");
            CosignatureSigner signer = CosignatureSigner.generate("witness.test/w" + i);
            WitnessKeyFile.create(key, signer);
            try (ServerSocket probe = new ServerSocket(0)) {
                ports.add(probe.getLocalPort());
            }
            keys.add(key);
            peers.add(new WitnessPeer(URI.create("http://127.0.0.1:" + ports.getLast()), CosignatureVerifier.parse(signer.verifierKey())));
        }
        return new Witnesses(keys, ports, peers);
    }

    static AccessEvent event(long subject) {
        return new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "tunewave", "share-in-messages", "profile:read", subject,
                subject, List.of(), Outcome.ALLOW, List.of(), new DecisionBasis(1, 1, 1, 1, 1, 1), 1, List.of("id"));
    }

    String checkpoint(CustosApp app) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/log/checkpoint")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Polls the served checkpoint until it satisfies the condition; returns it. */
    String awaitServed(CustosApp app, Predicate<String> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String note = checkpoint(app);
        while (!condition.test(note)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the served checkpoint never became as expected:\n" + note);
            Thread.sleep(50);
            note = checkpoint(app);
        }
        return note;
    }

    static boolean cosignedBy(String note, WitnessPeer peer) {
        try {
            return peer.verifier().verify(note).isPresent();
        } catch (custos.audit.InvalidProofException e) {
            throw new AssertionError(e);
        }
    }

    static long size(String note) {
        try {
            return Checkpoint.parse(LogAuditor.body(note)).size();
        } catch (custos.audit.InvalidProofException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void servesCheckpointsCosignedByBothWitnessesAndADownWitnessBlocksNothing() throws Exception {
        TestStores.Target target = TestStores.server();
        Witnesses w = witnesses(2);
        try (Database db = Database.open(target.config());
             CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withWitnesses(w.peers()))) {
            String logKey = app.log().signer().verifierKey();
            // The witnesses start after the gateway: it retries until they answer.
            WitnessServer w0 = w.start(dir, 0, logKey);
            WitnessServer w1 = w.start(dir, 1, logKey);
            try {
                for (int i = 0; i < 50; i++) app.accessLog().append(event(1 + i % 5));
                assertThat(app.log().awaitCheckpoint(50, Duration.ofSeconds(10))).isTrue();
                String note = awaitServed(app, n -> size(n) == 50 && cosignedBy(n, w.peers().get(0)) && cosignedBy(n, w.peers().get(1)),
                        Duration.ofSeconds(30));
                assertThat(NoteVerifier.parse(logKey).verify(note)).isEqualTo(LogAuditor.body(note));
                assertThat(app.witnesses().cosignedServed()).isEqualTo(2);

                String base = "http://127.0.0.1:" + app.port();
                CommandRun ok = CommandRun.of("log", "verify", "--server", base, "--key", logKey,
                        "--witness", w.vkey(0), "--witness", w.vkey(1), "--min-witnesses", "2");
                assertThat(ok.exit()).as(ok.err()).isZero();
                assertThat(ok.out()).contains("log verified: 50 entries").contains("cosigned by 2 of 2 witnesses (2 required): witness.test/w0 at ");
                String stranger = CosignatureSigner.generate("witness.test/stranger").verifierKey();
                CommandRun tooFew = CommandRun.of("log", "verify", "--server", base, "--key", logKey,
                        "--witness", w.vkey(0), "--witness", w.vkey(1), "--witness", stranger, "--min-witnesses", "3");
                assertThat(tooFew.exit()).isEqualTo(1);
                assertThat(tooFew.err()).isEqualTo("custos: log verification FAILED: the checkpoint carries 2 valid witness"
                        + " cosignature(s), 3 required (missing: witness.test/stranger)\n");

                // One witness down: the log goes on signing, and within the window the newest checkpoint is served
                // with the one cosignature it can get.
                w1.close();
                for (int i = 0; i < 30; i++) app.accessLog().append(event(1 + i % 5));
                assertThat(app.log().awaitCheckpoint(80, Duration.ofSeconds(10))).as("the log is not held up").isTrue();
                String partial = awaitServed(app, n -> size(n) == 80 && cosignedBy(n, w.peers().get(0)),
                        LogWitnesses.WINDOW.plusSeconds(10));
                assertThat(cosignedBy(partial, w.peers().get(1))).isFalse();
                assertThat(app.witnesses().status().get("witness.test/w1")).contains("last try: unreachable");

                // Back up: it catches up from the size it cosigned (50) with a consistency proof to 80.
                w1 = w.start(dir, 1, logKey);
                awaitServed(app, n -> size(n) == 80 && cosignedBy(n, w.peers().get(0)) && cosignedBy(n, w.peers().get(1)),
                        Duration.ofSeconds(60));
            } finally {
                w0.close();
                w1.close();
            }
        } finally {
            target.cleanup().run();
        }
    }

    /**
     * Two gateways on one store each submit the shared log's checkpoints to the witness on their own; the witness's
     * 409 answers (it already cosigned that size or a larger one) keep them in step, and both serve the same tree with
     * its cosignature.
     */
    @Test
    void twoGatewaysOnOneStoreBothGetTheWitnessCosignatureForTheSharedLog() throws Exception {
        TestStores.Target target = TestStores.server();
        Witnesses w = witnesses(1);
        try (Database db1 = Database.open(target.config()); Database db2 = Database.open(target.config());
             CustosApp a = CustosApp.start(db1, CustosApp.Options.on("127.0.0.1", 0).withWitnesses(w.peers()));
             CustosApp b = CustosApp.start(db2, CustosApp.Options.on("127.0.0.1", 0).withWitnesses(w.peers()))) {
            String logKey = a.log().signer().verifierKey();
            assertThat(b.log().signer().verifierKey()).isEqualTo(logKey);
            try (WitnessServer witness = w.start(dir, 0, logKey)) {
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 20; i++) (i % 2 == 0 ? a : b).accessLog().append(event(1 + i % 5));
                    long size = 20L * (round + 1);
                    Predicate<String> cosigned = n -> size(n) == size && cosignedBy(n, w.peers().get(0));
                    String fromA = awaitServed(a, cosigned, Duration.ofSeconds(30));
                    String fromB = awaitServed(b, cosigned, Duration.ofSeconds(30));
                    assertThat(LogAuditor.body(fromA)).as("one tree, whichever gateway is asked").isEqualTo(LogAuditor.body(fromB));
                }
                assertThat(a.witnesses().status().get("witness.test/w0")).startsWith("size 60");
                assertThat(b.witnesses().status().get("witness.test/w0")).startsWith("size 60");
            }
        } finally {
            target.cleanup().run();
        }
    }

    /**
     * Whoever can write the database can rewrite an entry and drop the checkpoints, tiles and cosignatures that
     * would betray it; the gateway then starts and signs the rewritten tree with the same key. Both witnesses
     * refuse it (it is not consistent with what they cosigned), so it is served without cosignatures.
     */
    @Test
    void aRewrittenStoreIsRefusedByBothWitnesses() throws Exception {
        TestStores.Target target = TestStores.server();
        Witnesses w = witnesses(2);
        try {
            Database db = Database.open(target.config());
            String logKey;
            String honest;
            List<WitnessServer> servers = new ArrayList<>();
            try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withWitnesses(w.peers()))) {
                logKey = app.log().signer().verifierKey();
                servers.add(w.start(dir, 0, logKey));
                servers.add(w.start(dir, 1, logKey));
                for (int i = 0; i < 40; i++) app.accessLog().append(event(1 + i % 5));
                assertThat(app.log().awaitCheckpoint(40, Duration.ofSeconds(10))).isTrue();
                honest = awaitServed(app, n -> size(n) == 40 && cosignedBy(n, w.peers().get(0)) && cosignedBy(n, w.peers().get(1)),
                        Duration.ofSeconds(30));
            }
            db = Database.open(target.config()); // closing the app closed the store
            Database store = db;
            byte[] data = ("\u0001" + "a different history, hashed properly").getBytes(StandardCharsets.UTF_8);
            store.jdbi().useHandle(h -> {
                h.createUpdate("update access_events set leaf_data = :d, leaf_hash = :h where idx = 7")
                        .bind("d", data).bind("h", custos.audit.ProofVerifier.leafHash(data)).execute();
                h.execute("delete from log_checkpoints");
                h.execute("delete from log_tiles");
                h.execute("delete from log_cosignatures");
            });
            store.close();
            try (CustosApp rewritten = CustosApp.start(Database.open(target.config()), CustosApp.Options.on("127.0.0.1", 0).withWitnesses(w.peers()))) {
                assertThat(rewritten.log().signer().verifierKey()).as("the same key signs the rewritten log").isEqualTo(logKey);
                for (int i = 0; i < 10; i++) rewritten.accessLog().append(event(1 + i % 5));
                assertThat(rewritten.log().awaitCheckpoint(50, Duration.ofSeconds(10))).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!rewritten.witnesses().status().values().stream().allMatch(s -> s.contains("last try: 422"))) {
                    assertThat(System.nanoTime()).as("both witnesses refuse: " + rewritten.witnesses().status()).isLessThan(deadline);
                    Thread.sleep(50);
                }
                String served = checkpoint(rewritten);
                assertThat(size(served)).isEqualTo(50);
                assertThat(cosignedBy(served, w.peers().get(0))).isFalse();
                assertThat(cosignedBy(served, w.peers().get(1))).isFalse();
                assertThat(rewritten.witnesses().cosignedServed()).isZero();
                CommandRun verify = CommandRun.of("log", "verify", "--server", "http://127.0.0.1:" + rewritten.port(),
                        "--key", logKey, "--witness", w.vkey(0), "--witness", w.vkey(1), "--min-witnesses", "1");
                assertThat(verify.exit()).isEqualTo(1);
                assertThat(verify.err()).contains("carries 0 valid witness cosignature(s), 1 required");
            } finally {
                servers.forEach(WitnessServer::close);
            }
            // What the witnesses still hold is the honest checkpoint.
            for (int i = 0; i < 2; i++) {
                String held = java.nio.file.Files.readString(dir.resolve("state" + i).resolve(custos.audit.witness.WitnessState.originHash(
                        NoteVerifier.parse(logKey).name())));
                assertThat(LogAuditor.body(held)).isEqualTo(LogAuditor.body(honest));
            }
        } finally {
            target.cleanup().run();
        }
    }
}
