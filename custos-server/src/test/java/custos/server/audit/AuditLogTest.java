package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.audit.Checkpoint;
import custos.audit.EntryBundle;
import custos.audit.LogAuditor;
import custos.audit.LogReceipt;
import custos.audit.NoteVerifier;
import custos.audit.ProofVerifier;
import custos.audit.TilePath;
import custos.audit.TlogProof;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.cli.CustosCommand;
import custos.server.http.Json;
import custos.server.policy.ChangeBarrier;
import custos.server.store.Database;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Invariants 5 and 6 over HTTP: appended events are durable and sequenced, a signed checkpoint covers them,
 * receipts and proofs verify offline, erasure keeps every proof valid, and `custos log verify` catches a changed
 * entry, a dropped entry and a forked history.
 */
class AuditLogTest {
    static TestStores.Target target;
    static Database db;
    static CustosApp app;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final int EVENTS = 300;

    @BeforeAll
    static void start() throws Exception {
        target = TestStores.server();
        db = Database.open(target.config());
        app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0));
        base = "http://127.0.0.1:" + app.port();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = offset; i < EVENTS; i += 4) {
                    app.accessLog().append(event(1 + i % 7, List.of(100L + i % 3)));
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(app.log().awaitCheckpoint(EVENTS, Duration.ofSeconds(10))).isTrue();
    }

    @AfterAll
    static void stop() {
        app.close();
        target.cleanup().run();
    }

    static AccessEvent event(long subject, List<Long> coSubjects) {
        return new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "tunewave", "share-in-messages", "friends:read", subject,
                subject, coSubjects, Outcome.ALLOW, List.of(), new DecisionBasis(1, 1, 1, 1, 1, 1), 3, List.of("id", "name"));
    }

    static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(res.statusCode()).as(path + ": " + new String(res.body())).isEqualTo(200);
        return res.body();
    }

    static NoteVerifier key() throws Exception {
        return NoteVerifier.parse(new String(get("/log/key")).strip());
    }

    static int custos(String... args) {
        CommandLine cl = CustosCommand.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void everyAcknowledgedEventIsStoredOnceWithDenseIndexes() {
        long count = db.jdbi().withHandle(h -> h.createQuery("select count(*) from access_events").mapTo(Long.class).one());
        long max = db.jdbi().withHandle(h -> h.createQuery("select max(idx) from access_events").mapTo(Long.class).one());
        assertThat(count).isGreaterThanOrEqualTo(EVENTS);
        assertThat(max).isEqualTo(count - 1);
        long coSubjectRows = db.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from access_event_co_subjects where person_id in (100, 101, 102)").mapTo(Long.class).one());
        assertThat(coSubjectRows).isEqualTo(EVENTS);
    }

    @Test
    void aReceiptIsATlogProofThatVerifiesOfflineAgainstTheSignedCheckpoint() throws Exception {
        String text = new String(get("/v1/log/receipt/42"));
        TlogProof proof = TlogProof.parse(text);
        byte[] entry = EntryBundle.decode(get("/log/tile/entries/000")).get(42);
        Checkpoint checkpoint = proof.verify(entry, key());
        assertThat(checkpoint.size()).isGreaterThanOrEqualTo(EVENTS);
    }

    @Test
    void inclusionAndConsistencyProofsVerifyAndAHashTileMatchesTheEntries() throws Exception {
        var inclusion = Json.MAPPER.readTree(get("/v1/log/proof/inclusion?index=260&size=" + EVENTS));
        List<byte[]> path = new ArrayList<>();
        inclusion.get("hashes").forEach(n -> path.add(Base64.getDecoder().decode(n.asText())));
        byte[] leaf = ProofVerifier.leafHash(EntryBundle.decode(get("/log/tile/entries/001.p/" + (EVENTS - 256))).get(4));
        ProofVerifier.verifyInclusion(leaf, 260, EVENTS, path, Base64.getDecoder().decode(inclusion.get("rootHash").asText()));

        var consistency = Json.MAPPER.readTree(get("/v1/log/proof/consistency?from=100&to=" + EVENTS));
        List<byte[]> hashes = new ArrayList<>();
        consistency.get("hashes").forEach(n -> hashes.add(Base64.getDecoder().decode(n.asText())));
        ProofVerifier.verifyConsistency(100, EVENTS, hashes, Base64.getDecoder().decode(consistency.get("fromRoot").asText()),
                Base64.getDecoder().decode(consistency.get("toRoot").asText()));

        byte[] tile = get("/log/tile/0/000");
        List<byte[]> entries = EntryBundle.decode(get("/log/tile/entries/000"));
        for (int i = 0; i < 256; i++) {
            byte[] fromTile = java.util.Arrays.copyOfRange(tile, i * 32, i * 32 + 32);
            assertThat(fromTile).isEqualTo(ProofVerifier.leafHash(entries.get(i)));
        }
    }

    @Test
    void aPersonsHistoryListsTheirEventsReadableAndTheEntriesThatReachedThemAsCoSubject() {
        var history = new AccessHistory(db.jdbi());
        var own = history.of(2, 1000);
        assertThat(own).isNotEmpty().allSatisfy(e -> {
            assertThat(e.role()).isEqualTo(AccessHistory.Role.SUBJECT);
            assertThat(e.event()).isNotNull();
            assertThat(e.event().subject()).isEqualTo(2);
        });
        var reached = history.of(101, 1000);
        assertThat(reached).hasSize(EVENTS / 3).allSatisfy(e -> {
            assertThat(e.role()).isEqualTo(AccessHistory.Role.CO_SUBJECT);
            assertThat(e.event()).isNull(); // sealed under the subject's key, not theirs
        });
    }

    @Test
    void erasingAPersonLeavesTheirEventsUnreadableAndEveryProofValid() throws Exception {
        var history = new AccessHistory(db.jdbi());
        assertThat(history.of(3, 1000)).isNotEmpty().allSatisfy(e -> assertThat(e.event()).isNotNull());
        history.erase(3);
        assertThat(history.of(3, 1000)).isNotEmpty().allSatisfy(e -> assertThat(e.event()).isNull());
        String text = new String(get("/v1/log/receipt/2")); // event 2 is about person 3
        byte[] entry = EntryBundle.decode(get("/log/tile/entries/000")).get(2);
        TlogProof.parse(text).verify(entry, key());
        assertThat(custos("log", "verify", "--server", base)).isZero();
    }

    @Test
    void logVerifyCatchesAChangedEntryADroppedEntryAndAForkedHistory(@TempDir Path mirror) throws Exception {
        Files.writeString(mirror.resolve("checkpoint"), new String(get("/log/checkpoint")));
        Files.writeString(mirror.resolve("key"), new String(get("/log/key")));
        Checkpoint cp = Checkpoint.parse(key().verify(Files.readString(mirror.resolve("checkpoint"))));
        for (long t = 0; t * 256 < cp.size(); t++) {
            TilePath p = TilePath.entries(t, (int) Math.min(256, cp.size() - t * 256));
            Path file = mirror.resolve(p.path());
            Files.createDirectories(file.getParent());
            Files.write(file, get("/log/" + p.path()));
        }
        assertThat(custos("log", "verify", "--mirror", mirror.toString())).isZero();
        Path bundle = mirror.resolve(TilePath.entries(0, 256).path());
        byte[] original = Files.readAllBytes(bundle);

        List<byte[]> changed = new ArrayList<>(EntryBundle.decode(original));
        changed.get(17)[5] ^= 1;
        Files.write(bundle, EntryBundle.encode(changed));
        assertThat(custos("log", "verify", "--mirror", mirror.toString())).isEqualTo(1);

        List<byte[]> dropped = new ArrayList<>(EntryBundle.decode(original));
        dropped.remove(17);
        dropped.add(dropped.get(0));
        Files.write(bundle, EntryBundle.encode(dropped));
        assertThat(custos("log", "verify", "--mirror", mirror.toString())).isEqualTo(1);

        Files.write(bundle, original);
        // A fork: a checkpoint for an earlier size, properly signed by the log's key, but over other entries.
        var signer = custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), "custos.local/log");
        byte[] otherRoot = ProofVerifier.leafHash("not the history".getBytes());
        Path forged = mirror.resolve("earlier");
        Files.writeString(forged, signer.sign(new Checkpoint("custos.local/log", 100, otherRoot, List.of()).body()));
        assertThat(custos("log", "verify", "--mirror", mirror.toString(), "--from-checkpoint", forged.toString())).isEqualTo(1);

        Path honest = mirror.resolve("honest");
        Files.writeString(honest, signer.sign(new Checkpoint("custos.local/log", 100, app.log().tree().root(100), List.of()).body()));
        assertThat(custos("log", "verify", "--mirror", mirror.toString(), "--from-checkpoint", honest.toString())).isZero();
    }

    @Test
    void onceAnErasureReachesTheInstanceItsAuditWriterStopsSealingUnderTheCachedKey() {
        long person = 900;
        LogReceipt before = app.accessLog().append(event(person, List.of())); // the writer now holds the key
        new AccessHistory(db.jdbi()).erase(person);
        new ChangeBarrier(db.jdbi(), new JdbiPolicyChangeFeed(db.jdbi()), Duration.ofSeconds(5)).awaitEverywhere();
        LogReceipt after = app.accessLog().append(event(person, List.of()));
        assertThat(ciphertextStored(before.index())).as("sealed before the erasure").isTrue();
        assertThat(ciphertextStored(after.index())).as("sealed after the erasure reached the writer").isFalse();
    }

    private static boolean ciphertextStored(long index) {
        return db.jdbi().withHandle(h -> h.createQuery("select ciphertext is not null from access_events where idx = :i")
                .bind("i", index).mapTo(Boolean.class).one());
    }

    @Test
    void aDurableAppendReturnsOnlyAfterItsRowIsCommitted() {
        LogReceipt receipt = app.accessLog().append(event(5, List.of()));
        // A fresh connection sees the row at once: the append waited for COMMIT.
        long seen = db.jdbi().withHandle(h -> h.createQuery("select count(*) from access_events where idx = :i")
                .bind("i", receipt.index()).mapTo(Long.class).one());
        assertThat(seen).isEqualTo(1);
    }

    @Test
    void malformedProofRequestsAreBadRequestProblems() throws Exception {
        var res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/log/proof/inclusion?index=5&size=999999")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("/problems/bad-request");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/log/tile/0/1")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
}
