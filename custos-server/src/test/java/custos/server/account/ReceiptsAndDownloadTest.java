package custos.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.AccessEvent;
import custos.audit.EntryReceipt;
import custos.audit.NoteVerifier;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.audit.PythonVerifier;
import custos.server.audit.ReceiptJson;
import custos.server.http.Json;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.WorldSpec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts and the download over real HTTP on a running gateway. The entries are appended through the gateway's own
 * durable audit log (sealed, committed, integrated and checkpointed as a partner's request would be): one about
 * {@code alice} that also reached {@code bob} through her consent, one about {@code carol} alone, and a denial about
 * alice. Each person sees, opens and downloads only what is about them, and what they get verifies offline.
 */
@Timeout(120)
class ReceiptsAndDownloadTest {
    static final String PASSWORD = "a long enough password";
    static final long ALICE = 2;
    static final long BOB = 3;
    static final long CAROL = 4;
    static final String PRIVATE_PURPOSE = "mixtape-for-alice";

    static TestStores.Target target;
    static CustosApp app;
    static String base;
    static String key;
    static long aliceAndBob;
    static long carolOnly;
    static long aliceDenied;
    static AccessEvent aliceEvent;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        target = TestStores.server();
        Database db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(40, 5), false);
        app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0));
        base = "http://127.0.0.1:" + app.port();
        key = app.log().signer().verifierKey();
        long partner = db.jdbi().withHandle(h -> h.createQuery("select id from partners where slug = 'tunewave'").mapTo(Long.class).one());
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        aliceEvent = new AccessEvent(UUID.randomUUID(), at, partner, "tunewave", PRIVATE_PURPOSE, "friends:read", ALICE, ALICE,
                List.of(BOB), Outcome.ALLOW, List.of(), new DecisionBasis(1, 1, 1, 1, 1, 1), 1, List.of("id", "name", "Zoë"));
        aliceAndBob = app.accessLog().append(aliceEvent).index();
        carolOnly = app.accessLog().append(new AccessEvent(UUID.randomUUID(), at, partner, "tunewave", "carol-purpose",
                "profile:read", CAROL, CAROL, List.of(), Outcome.ALLOW, List.of(), DecisionBasis.NONE, 1, List.of("email"))).index();
        aliceDenied = app.accessLog().append(new AccessEvent(UUID.randomUUID(), at, partner, "tunewave", PRIVATE_PURPOSE,
                "messages:delete", ALICE, ALICE, List.of(), Outcome.DENY, List.of("SCOPE_NOT_CONSENTED"), DecisionBasis.NONE, 0,
                List.of())).index();
        assertThat(app.log().awaitCheckpoint(aliceDenied + 1, Duration.ofSeconds(10))).isTrue();
        for (long p : List.of(ALICE, BOB, CAROL)) app.oauth().passwords().set(p, "person" + p, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        target.cleanup().run();
    }

    @Test
    void theSubjectGetsTheOpeningAndItVerifiesInJavaAndInPython() throws Exception {
        HttpResponse<String> res = signedIn(ALICE).get("/account/history/" + aliceAndBob + "/receipt");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"custos-receipt-" + aliceAndBob + ".json\"");
        assertThat(res.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode receipt = Json.MAPPER.readTree(res.body());
        assertThat(receipt.get("role").asText()).isEqualTo("subject");
        assertThat(receipt.get("proof").asText()).startsWith("c2sp.org/tlog-proof@v1\nindex " + aliceAndBob + "\n");

        EntryReceipt.Verified v = ReceiptJson.parse(res.body()).verify(NoteVerifier.parse(key));
        assertThat(v.event()).isEqualTo(aliceEvent);

        Path file = save(res.body());
        PythonVerifier py = PythonVerifier.run(file.toString(), "--key", key);
        assertThat(py.exit()).as(py.err()).isZero();
        assertThat(py.out()).contains("receipt verified: entry " + aliceAndBob).contains("person   " + ALICE)
                .contains("purpose  " + PRIVATE_PURPOSE).contains("released 1 records: id, name, Zoë");

        String salt = receipt.get("opening").get("salt").asText();
        Path tampered = save(res.body().replace(salt, (salt.charAt(0) == '0' ? "1" : "0") + salt.substring(1)));
        PythonVerifier bad = PythonVerifier.run(tampered.toString(), "--key", key);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("verify_receipt: FAILED: the opening (salt and event bytes) does not recompute the entry's commitment");
        PythonVerifier wrongKey = PythonVerifier.run(file.toString(), "--key",
                custos.audit.NoteSigner.generate(app.log().signer().name()).verifierKey());
        assertThat(wrongKey.exit()).isEqualTo(1);
    }

    @Test
    void aCoSubjectGetsTheProofButNotTheFriendsEvent() throws Exception {
        HttpResponse<String> res = signedIn(BOB).get("/account/history/" + aliceAndBob + "/receipt");
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode receipt = Json.MAPPER.readTree(res.body());
        assertThat(receipt.get("role").asText()).isEqualTo("co-subject");
        assertThat(receipt.get("opening").isNull()).isTrue();
        assertThat(receipt.get("openingWithheld").asText()).contains("co-subject").contains("sealed under their key");
        assertThat(res.body()).doesNotContain(PRIVATE_PURPOSE).doesNotContain("friends:read").doesNotContain("\"event\"");

        assertThat(ReceiptJson.parse(res.body()).verify(NoteVerifier.parse(key)).event()).isNull();
        PythonVerifier py = PythonVerifier.run(save(res.body()).toString(), "--key", key);
        assertThat(py.exit()).as(py.err()).isZero();
        assertThat(py.out()).contains("no opening");
    }

    @Test
    void anyOtherIndexGetsTheSameNotFoundPage() throws Exception {
        PersonBrowser bob = signedIn(BOB);
        HttpResponse<String> someoneElses = bob.get("/account/history/" + carolOnly + "/receipt");
        assertThat(someoneElses.statusCode()).isEqualTo(404);
        assertThat(someoneElses.body()).contains("<h1>Not found</h1>").doesNotContain("carol-purpose");
        for (String index : List.of(Long.toString(aliceDenied), "987654321", "abc", "-1", "99999999999999999999", "1e3")) {
            HttpResponse<String> other = bob.get("/account/history/" + index + "/receipt");
            assertThat(other.statusCode()).as(index).isEqualTo(404);
            assertThat(other.body()).as(index).isEqualTo(someoneElses.body());
        }
        assertThat(signedIn(ALICE).get("/account/history/" + carolOnly + "/receipt").body()).isEqualTo(someoneElses.body());
    }

    @Test
    void withoutASessionEverythingSendsToSignIn() throws Exception {
        PersonBrowser anonymous = new PersonBrowser(base);
        for (String path : List.of("/account/history/" + aliceAndBob + "/receipt", "/account/download",
                "/account/download/data.json", "/account/download/history.csv")) {
            HttpResponse<String> res = anonymous.get(path);
            assertThat(res.statusCode()).as(path).isEqualTo(303);
            assertThat(res.headers().firstValue("location")).as(path).hasValue("/account/sign-in");
        }
    }

    @Test
    void theDownloadHoldsOnlyThePersonsOwnDataAndEntriesAndEachEntryVerifies() throws Exception {
        HttpResponse<String> res = signedIn(ALICE).get("/account/download/data.json");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"custos-data.json\"");
        JsonNode data = Json.MAPPER.readTree(res.body());
        assertThat(data.get("profile").get("id").asLong()).isEqualTo(ALICE);
        assertThat(data.get("consents").size()).isEqualTo(new JdbiConsentStore(app.database().jdbi()).forPerson(ALICE).size());
        assertThat(data.get("settingsHistory").isArray()).isTrue();
        assertThat(indexes(data)).containsExactly(aliceDenied, aliceAndBob);
        assertThat(data.get("log").get("verifierKey").asText()).isEqualTo(key);
        NoteVerifier verifier = NoteVerifier.parse(key);
        for (JsonNode entry : data.get("history")) {
            EntryReceipt.Verified v = ReceiptJson.parse(entry.toString()).verify(verifier);
            assertThat(v.event().subject()).isEqualTo(ALICE);
            assertThat(entry.get("checkpoint").asText()).isEqualTo(data.get("log").get("checkpoint").asText());
        }
        PythonVerifier py = PythonVerifier.run(save(data.get("history").get(0).toString()).toString(), "--key", key);
        assertThat(py.exit()).as(py.err()).isZero();
        assertThat(py.out()).contains("outcome  DENY: SCOPE_NOT_CONSENTED");

        JsonNode bobs = Json.MAPPER.readTree(signedIn(BOB).get("/account/download/data.json").body());
        assertThat(bobs.get("profile").get("id").asLong()).isEqualTo(BOB);
        assertThat(indexes(bobs)).containsExactly(aliceAndBob);
        assertThat(bobs.get("history").get(0).get("opening").isNull()).isTrue();
        assertThat(bobs.toString()).doesNotContain(data.get("profile").get("email").asText()).doesNotContain(PRIVATE_PURPOSE);
        JsonNode carols = Json.MAPPER.readTree(signedIn(CAROL).get("/account/download/data.json").body());
        assertThat(indexes(carols)).containsExactly(carolOnly);
    }

    @Test
    void theCsvHasOneRowPerEntryOfThePersonOnly() throws Exception {
        HttpResponse<String> alice = signedIn(ALICE).get("/account/download/history.csv");
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        List<String> rows = alice.body().lines().toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo("index,time_utc,partner,role,purpose,scope,outcome,reasons,fields");
        assertThat(rows.get(1)).startsWith(aliceDenied + ",").contains(",subject," + PRIVATE_PURPOSE + ",messages:delete,DENY,SCOPE_NOT_CONSENTED,");
        assertThat(rows.get(2)).startsWith(aliceAndBob + ",").endsWith(",ALLOW,,id name Zoë");

        List<String> bobs = signedIn(BOB).get("/account/download/history.csv").body().lines().toList();
        assertThat(bobs).hasSize(2);
        assertThat(bobs.get(1)).startsWith(aliceAndBob + ",").contains(",co-subject,,,ALLOW,,").doesNotContain(PRIVATE_PURPOSE);
    }

    @Test
    void theDownloadPageLinksTheFilesAndSaysHowToVerify() throws Exception {
        HttpResponse<String> page = signedIn(ALICE).get("/account/download");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("aria-current=\"page\">Download your data")
                .contains("href=\"/account/download/data.json\"").contains("href=\"/account/download/history.csv\"")
                .contains("./custos log verify-receipt").contains("tools/verify_receipt.py").contains("docs/receipts.md")
                .contains(key);
    }

    @Test
    void csvCellsAreQuotedAndFormulasDefused() {
        assertThat(DownloadPages.cell("plain")).isEqualTo("plain");
        assertThat(DownloadPages.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(DownloadPages.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(DownloadPages.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    }

    private static List<Long> indexes(JsonNode data) {
        List<Long> out = new ArrayList<>();
        data.get("history").forEach(e -> out.add(e.get("index").asLong()));
        return out;
    }

    private Path save(String json) throws Exception {
        Path file = Files.createTempFile(dir, "receipt", ".json");
        Files.writeString(file, json);
        return file;
    }

    static PersonBrowser signedIn(long person) throws Exception {
        return PersonBrowser.signedIn(base, "person" + person, PASSWORD);
    }
}
