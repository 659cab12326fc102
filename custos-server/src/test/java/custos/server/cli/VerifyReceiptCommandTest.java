package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.audit.Checkpoint;
import custos.audit.EntryReceipt;
import custos.audit.EventSealer;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.audit.ProofVerifier;
import custos.audit.SealedEvent;
import custos.audit.TlogProof;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.audit.AccessHistory;
import custos.server.audit.EntryOpenings;
import custos.server.audit.ReceiptJson;
import custos.server.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custos log verify-receipt FILE --key VKEY} on receipt files as the server writes them: a good one says in a
 * few lines what it proves; every kind of tampering is one readable line and exit 1.
 */
@Timeout(60)
class VerifyReceiptCommandTest {
    static final String ORIGIN = "custos.test/log";
    final NoteSigner signer = NoteSigner.generate(ORIGIN);
    final EventSealer sealer = new EventSealer();
    @TempDir
    Path dir;
    Map<String, Object> good;

    @BeforeEach
    void receipt() throws Exception {
        LogTree tree = new LogTree();
        byte[] key = sealer.newPersonKey();
        AccessEvent event = new AccessEvent(UUID.randomUUID(), Instant.parse("2026-12-01T16:20:00Z"), 12, "tunewave",
                "share-in-messages", "messages:read", 8, 8, List.of(), Outcome.DENY, List.of("CONSENT_REVOKED"),
                DecisionBasis.NONE, 0, List.of());
        SealedEvent sealed = null;
        for (int i = 0; i < 7; i++) {
            SealedEvent s = sealer.seal(event, key);
            tree.appendData(s.leafData());
            if (i == 3) sealed = s;
        }
        String note = signer.sign(new Checkpoint(ORIGIN, tree.size(), tree.root(), List.of()).body());
        EntryReceipt r = new EntryReceipt(ORIGIN, 3, sealed.salt(), sealer.openBytes(sealed, key), sealed.leafData(),
                ProofVerifier.leafHash(sealed.leafData()), new TlogProof(3, tree.inclusionProof(3, tree.size()), note).format(), note);
        good = ReceiptJson.of(new EntryOpenings.Opened(3, AccessHistory.Role.SUBJECT, event.at(), 12, "Tunewave", "DENY", r, event));
    }

    private CommandRun verify(Map<String, Object> receipt, String key) throws Exception {
        Path file = dir.resolve("receipt-" + System.nanoTime() + ".json");
        Files.write(file, Json.bytes(receipt));
        return CommandRun.of("log", "verify-receipt", file.toString(), "--key", key);
    }

    private Map<String, Object> with(String field, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(good);
        copy.put(field, value);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> withOpening(String field, String hex) {
        Map<String, Object> opening = new java.util.LinkedHashMap<>((Map<String, Object>) good.get("opening"));
        opening.put(field, hex);
        return with("opening", opening);
    }

    @SuppressWarnings("unchecked")
    private String flipped(String field) {
        byte[] b = HexFormat.of().parseHex((String) ((Map<String, Object>) good.get("opening")).get(field));
        b[b.length / 2] ^= 1;
        return HexFormat.of().formatHex(b);
    }

    private static void failsWith(CommandRun r, String reason) {
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("custos: receipt verification FAILED: ").contains(reason).doesNotContain("\n");
    }

    @Test
    void aGoodReceiptSaysWhatItProves() throws Exception {
        CommandRun r = verify(good, signer.verifierKey());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("receipt verified: entry 3 is in custos.test/log").contains("tree of 7 entries")
                .contains("person   8").contains("partner  12, client tunewave").contains("purpose  share-in-messages")
                .contains("scope    messages:read").contains("outcome  DENY: CONSENT_REVOKED").contains("time     2026-12-01T16:20:00Z");
    }

    @Test
    void aTamperedSaltFails() throws Exception {
        failsWith(verify(withOpening("salt", flipped("salt")), signer.verifierKey()), "does not recompute the entry's commitment");
    }

    @Test
    void aTamperedEventFails() throws Exception {
        failsWith(verify(withOpening("event", flipped("event")), signer.verifierKey()), "does not recompute the entry's commitment");
    }

    @Test
    void theWrongKeyFails() throws Exception {
        failsWith(verify(good, NoteSigner.generate(ORIGIN).verifierKey()), "signature does not verify");
    }

    @Test
    void aWrongProofFails() throws Exception {
        String proof = ((String) good.get("proof")).replaceFirst("index 3\n[^\n]+\n", "index 3\n" + "B".repeat(43) + "=\n");
        failsWith(verify(with("proof", proof), signer.verifierKey()), "inclusion proof does not lead to the signed root");
        failsWith(verify(with("index", 4), signer.verifierKey()), "the proof is for entry 3");
    }

    @Test
    void aMalformedFileFails() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"format\": \"custos-receipt/v1\", \"index\": ");
        CommandRun r = CommandRun.of("log", "verify-receipt", file.toString(), "--key", signer.verifierKey());
        failsWith(r, "not JSON");
        failsWith(verify(with("commitment", "zz"), signer.verifierKey()), "commitment is not hex");
        CommandRun missing = CommandRun.of("log", "verify-receipt", dir.resolve("missing.json").toString(), "--key", signer.verifierKey());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("custos: could not check: no receipt file " + dir.resolve("missing.json"));
    }
}
