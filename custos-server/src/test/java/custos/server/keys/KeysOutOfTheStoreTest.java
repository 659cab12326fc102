package custos.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.audit.AccessEvent;
import custos.audit.InvalidProofException;
import custos.audit.NoteSigner;
import custos.audit.NoteVerifier;
import custos.audit.TlogProof;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.audit.AccessHistory;
import custos.server.audit.GroupCommitAccessLog;
import custos.server.audit.LogIntegrator;
import custos.server.cli.CommandRun;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.EdECPrivateKey;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §4, keys out of the database: a store from before moves its log key to the key file and wraps its clear
 * person keys, once, keeping every earlier checkpoint, receipt and event readable; afterwards it holds no private or
 * clear key byte, so the database alone cannot sign a checkpoint. A new key file rotates the log's key; a wrong master
 * key or a bad key file stops the start with one line.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KeysOutOfTheStoreTest {
    static final String ORIGIN = "custos.local/log";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aStoreFromBeforeMovesItsKeysOutOnceAndKeepsEveryProofAndEventReadable() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            NoteSigner legacy = NoteSigner.generate(ORIGIN);
            String legacyNote = legacyStore(db, legacy, 60);
            Map<Long, byte[]> clearKeys = clearPersonKeys(db.jdbi());
            assertThat(clearKeys).hasSize(5);
            String receipt3;
            byte[] leaf3 = leafData(db.jdbi(), 3);

            Path logKey = dir.resolve("log.pem");
            Path masterKey = dir.resolve("master.key");
            MasterKey.generate().write(masterKey);
            KeySource keys = new KeySource.KeyFiles(logKey, masterKey);
            try (CustosApp app = start(target, keys)) {
                assertThat(app.log().signer().verifierKey()).as("the exported key signs as before").isEqualTo(legacy.verifierKey());
                assertThat(app.log().failure()).isEmpty();
                receipt3 = get(app, "/v1/log/receipt/3");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logKey))).isEqualTo("rw-------");
            assertThat(LogKeyFile.read(logKey, ORIGIN).verifierKey()).isEqualTo(legacy.verifierKey());
            assertThat(bool(db.jdbi(), "select to_regclass('log_signing_key') is null"))
                    .as("the private key's table is gone").isTrue();
            assertThat(columns(db.jdbi(), "person_keys")).doesNotContain("aes_key").contains("wrapped_key");

            // No private or clear key byte anywhere in the store, in any table, as bytes, hex or base64.
            assertThat(storeHolds(db.jdbi(), seed(legacy))).as("the log's private key").isFalse();
            assertThat(storeHolds(db.jdbi(), legacy.privateKeyPkcs8())).as("the log's PKCS#8").isFalse();
            assertThat(storeHolds(db.jdbi(), masterBytes(masterKey))).as("the master key").isFalse();
            for (var e : clearKeys.entrySet()) {
                assertThat(storeHolds(db.jdbi(), e.getValue())).as("person " + e.getKey() + "'s clear key").isFalse();
            }
            assertThat(storeHolds(db.jdbi(), legacy.publicKeyX509())).as("the public key is kept").isTrue();

            // Every earlier proof verifies with the same key; every event still opens (now through the wrapped keys).
            NoteVerifier key = NoteVerifier.parse(legacy.verifierKey());
            assertThat(key.verify(legacyNote)).isNotEmpty();
            assertThat(TlogProof.parse(receipt3).verify(leaf3, key).size()).isGreaterThanOrEqualTo(60);

            // A restart with the same files moves nothing more and keeps signing with the same key.
            try (CustosApp app = start(target, keys)) {
                AccessHistory history = new AccessHistory(app.database().jdbi());
                for (long person = 1; person <= 5; person++) {
                    assertThat(history.of(person, 100)).hasSize(12).allSatisfy(e -> assertThat(e.event()).isNotNull());
                }
                app.accessLog().append(event(2));
                assertThat(app.log().awaitCheckpoint(61, Duration.ofSeconds(10))).isTrue();
                assertThat(key.verify(app.log().latestCheckpoint())).contains("\n61\n");
                assertThat(keyRows(db.jdbi())).containsExactly(legacy.verifierKey() + "@0");
            }
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    void erasureDeletesTheWrappedKeyAndEveryProofStaysIntact() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            KeySource keys = KeySource.under(dir.resolve("data"));
            String receipt;
            byte[] leaf;
            try (CustosApp app = start(target, keys)) {
                for (int i = 0; i < 20; i++) {
                    app.accessLog().append(event(1 + i % 2));
                }
                assertThat(app.log().awaitCheckpoint(20, Duration.ofSeconds(10))).isTrue();
                assertThat(bool(db.jdbi(), "select count(*) = 2 from person_keys where length(wrapped_key) = 61")).as("both keys stored wrapped").isTrue();
                new AccessHistory(db.jdbi()).erase(1);
                receipt = get(app, "/v1/log/receipt/0");
                leaf = leafData(db.jdbi(), 0);
            }
            assertThat(bool(db.jdbi(), "select wrapped_key is null and destroyed_at is not null from person_keys where person_id = 1")).isTrue();
            try (CustosApp app = start(target, keys)) {
                assertThat(app.log().failure()).as("the restart's integrity check passes").isEmpty();
                AccessHistory history = new AccessHistory(app.database().jdbi());
                assertThat(history.of(1, 100)).hasSize(10).allSatisfy(e -> assertThat(e.event()).isNull());
                assertThat(history.of(2, 100)).hasSize(10).allSatisfy(e -> assertThat(e.event()).isNotNull());
                NoteVerifier key = NoteVerifier.parse(app.log().signer().verifierKey());
                assertThat(TlogProof.parse(receipt).verify(leaf, key).size()).isEqualTo(20);
            }
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    void aNewKeyFileRotatesTheKeyAndOldAndNewCheckpointsVerifyEachWithItsOwnKey() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            KeySource.KeyFiles first = KeySource.under(dir.resolve("data"));
            String oldNote;
            String oldReceipt;
            String oldKey;
            try (CustosApp app = start(target, first)) {
                append(app, 20);
                oldNote = app.log().latestCheckpoint();
                oldReceipt = get(app, "/v1/log/receipt/5");
                oldKey = app.log().signer().verifierKey();
            }
            Path newFile = dir.resolve("new.pem");
            String newKey = run("log", "key", "generate", "--out", newFile.toString()).strip();
            KeySource second = new KeySource.KeyFiles(newFile, first.masterKey());
            try (CustosApp app = start(target, second)) {
                assertThat(app.log().signer().verifierKey()).isEqualTo(newKey);
                append(app, 20);
                String newNote = app.log().latestCheckpoint();
                assertThat(NoteVerifier.parse(newKey).verify(newNote)).contains("\n40\n");
                assertThatThrownBy(() -> NoteVerifier.parse(oldKey).verify(newNote)).isInstanceOf(InvalidProofException.class);
                assertThat(NoteVerifier.parse(oldKey).verify(oldNote)).contains("\n20\n");
                assertThat(TlogProof.parse(oldReceipt).verify(leafData(db.jdbi(), 5), NoteVerifier.parse(oldKey)).size()).isEqualTo(20);
                assertThat(TlogProof.parse(get(app, "/v1/log/receipt/5")).verify(leafData(db.jdbi(), 5), NoteVerifier.parse(newKey)).size())
                        .isEqualTo(40);

                var listed = custos.server.http.Json.MAPPER.readTree(get(app, "/log/keys"));
                assertThat(listed.get("origin").asText()).isEqualTo(ORIGIN);
                assertThat(listed.get("keys")).hasSize(2);
                var was = listed.get("keys").get(0);
                var now = listed.get("keys").get(1);
                assertThat(List.of(was.get("key").asText(), was.get("fromSize").asLong(), was.get("untilSize").asLong(), was.get("current").asBoolean()))
                        .containsExactly(oldKey, 0L, 20L, false);
                assertThat(List.of(now.get("key").asText(), now.get("fromSize").asLong(), now.get("untilSize").isNull(), now.get("current").asBoolean()))
                        .containsExactly(newKey, 20L, true, true);
                assertThat(get(app, "/log/key")).isEqualTo(newKey + "\n");

                // The new tree extends the one the old key signed: the outsider's check across the rotation.
                Path earlier = dir.resolve("old-checkpoint");
                Files.writeString(earlier, oldNote);
                String server = "http://127.0.0.1:" + app.port();
                assertThat(run("log", "verify", "--server", server, "--key", newKey, "--from-checkpoint", earlier.toString(),
                        "--from-checkpoint-key", oldKey)).contains("log verified: 40 entries").contains("consistent with the earlier checkpoint");
                assertThat(exit("log", "verify", "--server", server, "--key", newKey, "--from-checkpoint", earlier.toString()))
                        .as("the old checkpoint is not the new key's").isEqualTo(2);
            }
            assertThatThrownBy(() -> start(target, first).close())
                    .hasMessage("the log signing key " + oldKey + " was replaced by a newer key and cannot sign again;"
                            + " start with the current key or a new one");
            try (CustosApp app = start(target, second)) {
                assertThat(app.log().failure()).as("a restart with the new key checks the log it signed").isEmpty();
            }
            assertThat(keyRows(db.jdbi())).containsExactly(oldKey + "@0", newKey + "@20");
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    void serveRefusesAMissingUnreadableOrWrongKeyAndAWrongMasterKeyWithOneLine() throws Exception {
        TestStores.Target target = TestStores.server();
        try {
            String url = ((custos.server.store.DbConfig.External) target.config()).url();
            Path logKey = dir.resolve("log.pem");
            Path master = dir.resolve("master.key");
            LogKeyFile.generate(logKey, ORIGIN);
            MasterKey.generate().write(master);
            try (CustosApp app = start(target, new KeySource.KeyFiles(logKey, master))) {
                append(app, 3); // the store now has wrapped keys and a master key check value
            }
            Path otherMaster = dir.resolve("other.key");
            MasterKey.generate().write(otherMaster);
            Path ec = dir.resolve("ec.pem");
            Files.writeString(ec, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                    java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

            assertOneLine(serve(url, dir.resolve("missing.pem"), master), "custos: no log signing key file at " + dir.resolve("missing.pem"));
            assertOneLine(serve(url, dir, master), "custos: cannot read log signing key file " + dir);
            assertOneLine(serve(url, ec, master), "custos: the log signing key file " + ec + " is not a PKCS#8 Ed25519 private key");
            assertOneLine(serve(url, logKey, otherMaster), "custos: the master key (setting keys.master) is not the one this"
                    + " store's person keys were wrapped with; start with that key");
            assertOneLine(serve(url, null, master), "custos: set log.key (CUSTOS_LOG_KEY): the store holds no private key");
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    void theDemoKeyFilesAreMadeInTheDataFolderOnFirstStartAndKeptAfter() throws Exception {
        Path data = dir.resolve("data");
        KeySource.KeyFiles files = KeySource.under(data);
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            String key;
            try (CustosApp app = start(target, files)) {
                key = app.log().signer().verifierKey();
            }
            assertThat(files.logKey()).isEqualTo(data.resolve("keys/log-signing-key.pem")).exists();
            assertThat(files.masterKey()).isEqualTo(data.resolve("keys/master.key")).exists();
            try (CustosApp app = start(target, files)) {
                assertThat(app.log().signer().verifierKey()).isEqualTo(key);
            }
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    void keysMasterGenerateWritesAnOwnerOnlyKeyAndNeverOverwrites() throws Exception {
        Path out = dir.resolve("m.key");
        assertThat(run("keys", "master", "generate", "--out", out.toString())).contains("wrote a new master key to " + out);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        MasterKey.read(out);
        assertThat(exit("keys", "master", "generate", "--out", out.toString())).isEqualTo(1);
        Path log = dir.resolve("l.pem");
        String vkey = run("log", "key", "generate", "--out", log.toString()).strip();
        assertThat(LogKeyFile.read(log, ORIGIN).verifierKey()).isEqualTo(vkey);
        assertThat(exit("log", "key", "generate", "--out", log.toString())).isEqualTo(1);
    }

    // ---- a store as it was before issue 15 ----

    /**
     * Writes {@code entries} signed entries for people 1..5 with {@code legacy}, then puts the store back in the shape
     * the earlier versions left it: the private key in {@code log_signing_key}, person keys in the clear in
     * {@code person_keys.aes_key}, no public key or master check recorded. Returns the last signed checkpoint.
     */
    private static String legacyStore(Database db, NoteSigner legacy, int entries) throws Exception {
        MasterKey process = MasterKey.forThisProcess();
        String note;
        try (LogIntegrator integrator = new LogIntegrator(db.jdbi(), legacy);
             GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), process, integrator, () -> 0)) {
            for (int i = 0; i < entries; i++) {
                log.append(event(1 + i % 5));
            }
            assertThat(integrator.awaitCheckpoint(entries, Duration.ofSeconds(10))).isTrue();
            note = integrator.latestCheckpoint();
        }
        db.jdbi().useTransaction(h -> {
            h.execute("""
                    create table log_signing_key (name text primary key, pkcs8 bytea not null, x509 bytea not null,
                                                  created_at timestamptz not null default now())""");
            h.createUpdate("insert into log_signing_key (name, pkcs8, x509) values (:n, :p, :x)").bind("n", ORIGIN)
                    .bind("p", legacy.privateKeyPkcs8()).bind("x", legacy.publicKeyX509()).execute();
            h.execute("delete from log_keys");
            h.execute("delete from master_key_check");
            h.execute("alter table person_keys add column aes_key bytea");
            List<Object[]> rows = h.createQuery("select person_id, wrapped_key from person_keys")
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).list();
            for (Object[] row : rows) {
                h.createUpdate("update person_keys set aes_key = :k, wrapped_key = null where person_id = :p")
                        .bind("k", process.unwrap((Long) row[0], (byte[]) row[1])).bind("p", (Long) row[0]).execute();
            }
        });
        return note;
    }

    private static Map<Long, byte[]> clearPersonKeys(Jdbi jdbi) {
        Map<Long, byte[]> keys = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("select person_id, aes_key from person_keys order by person_id")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2))).forEach(e -> keys.put(e.getKey(), e.getValue())));
        return keys;
    }

    /** Whether any bytea or text column of any table holds {@code needle}: as bytes, or as hex or base64 text. */
    static boolean storeHolds(Jdbi jdbi, byte[] needle) {
        return jdbi.withHandle(h -> {
            List<String[]> columns = h.createQuery("""
                            select table_name, column_name, data_type from information_schema.columns
                            where table_schema = current_schema() and data_type in ('bytea', 'text', 'character varying')""")
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).list();
            String hex = HexFormat.of().formatHex(needle);
            String b64 = Base64.getEncoder().encodeToString(needle);
            for (String[] c : columns) {
                String col = "\"" + c[1] + "\"";
                String sql = c[2].equals("bytea")
                        ? "select exists (select 1 from \"" + c[0] + "\" where position(:n in " + col + ") > 0)"
                        : "select exists (select 1 from \"" + c[0] + "\" where position(:hex in lower(" + col + ")) > 0 or position(:b64 in " + col + ") > 0)";
                var q = h.createQuery(sql);
                if (c[2].equals("bytea")) {
                    q.bind("n", needle);
                } else {
                    q.bind("hex", hex).bind("b64", b64.substring(0, Math.min(b64.length(), 40)));
                }
                if (q.mapTo(Boolean.class).one()) {
                    return true;
                }
            }
            return false;
        });
    }

    private static byte[] seed(NoteSigner signer) throws Exception {
        var key = (EdECPrivateKey) KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(signer.privateKeyPkcs8()));
        return key.getBytes().orElseThrow();
    }

    private static byte[] masterBytes(Path file) throws Exception {
        return Base64.getDecoder().decode(Files.readString(file).strip());
    }

    private static boolean bool(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Boolean.class).one());
    }

    private static List<String> columns(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("select column_name from information_schema.columns where table_schema = current_schema() and table_name = :t")
                .bind("t", table).mapTo(String.class).list());
    }

    private static List<String> keyRows(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select public_key, from_size from log_keys order by id")
                .map((rs, ctx) -> NoteVerifier.verifierKey(ORIGIN, rs.getBytes(1)) + "@" + rs.getLong(2)).list());
    }

    private static byte[] leafData(Jdbi jdbi, long index) {
        return jdbi.withHandle(h -> h.createQuery("select leaf_data from access_events where idx = :i").bind("i", index)
                .mapTo(byte[].class).one());
    }

    private static AccessEvent event(long subject) {
        return new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "tunewave", "share-in-messages", "profile:read",
                subject, subject, List.of(), Outcome.DENY, List.of("SCOPE_NOT_CONSENTED"), DecisionBasis.NONE, 0, List.of());
    }

    private static void append(CustosApp app, int n) throws InterruptedException {
        long before = app.log().tree().size();
        for (int i = 0; i < n; i++) {
            app.accessLog().append(event(1 + i % 3));
        }
        assertThat(app.log().awaitCheckpoint(before + n, Duration.ofSeconds(10))).isTrue();
    }

    private static String get(CustosApp app, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    /** An app on its own connection to the store (closing an app closes its store). */
    private static CustosApp start(TestStores.Target target, KeySource keys) {
        Database db = Database.open(target.config());
        try {
            return CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withKeys(keys));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static String run(String... args) {
        CommandRun r = CommandRun.of(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    private static int exit(String... args) {
        return CommandRun.of(args).exit();
    }

    private static CommandRun serve(String url, Path logKey, Path master) {
        List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0", "--set", "db.url=" + url,
                "--set", "keys.master=" + master));
        if (logKey != null) {
            args.addAll(List.of("--set", "log.key=" + logKey));
        }
        return CommandRun.of(args.toArray(String[]::new));
    }

    private static void assertOneLine(CommandRun ran, String start) {
        assertThat(ran.exit()).as(ran.err()).isEqualTo(1);
        assertThat(ran.err().lines().toList()).singleElement().asString().startsWith(start);
    }
}
