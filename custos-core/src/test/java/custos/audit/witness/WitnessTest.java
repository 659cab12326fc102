package custos.audit.witness;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.Checkpoint;
import custos.audit.CosignatureSigner;
import custos.audit.CosignatureVerifier;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.audit.NoteVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The witness answers add-checkpoint with the statuses of c2sp.org/tlog-witness and never cosigns a fork or rollback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WitnessTest {
    static final String ORIGIN = "log.example/a";
    final NoteSigner log = NoteSigner.generate(ORIGIN);
    final CosignatureSigner key = CosignatureSigner.generate("witness.example/w1");
    final LogTree tree = new LogTree();
    @TempDir
    Path dir;

    Witness witness() throws Exception {
        return new Witness(key, List.of(NoteVerifier.parse(log.verifierKey())), new WitnessState(dir), () -> 1_700_000_000L);
    }

    void grow(LogTree t, int n, String tag) {
        for (int i = 0; i < n; i++) t.appendData((tag + t.size()).getBytes(StandardCharsets.UTF_8));
    }

    String note(LogTree t, long size) {
        return log.sign(new Checkpoint(ORIGIN, size, t.root(size), List.of()).body());
    }

    static String request(long old, List<byte[]> proof, String note) {
        return new AddCheckpoint(old, proof, note).format();
    }

    Witness.Response add(Witness w, long old, long size) {
        return w.add(request(old, old == 0 ? List.of() : tree.consistencyProof(old, size), note(tree, size)));
    }

    @Test
    void cosignsAFirstCheckpointAndEachConsistentExtension() throws Exception {
        Witness w = witness();
        grow(tree, 10, "e");
        Witness.Response first = add(w, 0, 10);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).startsWith("\u2014 witness.example/w1 ").endsWith("\n");
        CosignatureVerifier v = CosignatureVerifier.parse(key.verifierKey());
        assertThat(v.verify(note(tree, 10) + first.body())).hasValue(1_700_000_000L);
        grow(tree, 7, "e");
        Witness.Response second = add(w, 10, 17);
        assertThat(second.status()).isEqualTo(200);
        assertThat(v.verify(note(tree, 17) + second.body())).isPresent();
        assertThat(add(w, 17, 17).status()).as("the same checkpoint again").isEqualTo(200);
    }

    @Test
    void aStaleOldSizeGets409WithTheWitnessSizeAsTlogSize() throws Exception {
        Witness w = witness();
        grow(tree, 10, "e");
        add(w, 0, 10);
        grow(tree, 5, "e");
        Witness.Response r = add(w, 0, 15);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).isEqualTo("text/x.tlog.size");
        assertThat(r.body()).isEqualTo("10\n");
        assertThat(add(w, 12, 15).status()).isEqualTo(409);
    }

    @Test
    void refusesAForkOfTheSameSizeWith422() throws Exception {
        Witness w = witness();
        grow(tree, 10, "e");
        add(w, 0, 10);
        LogTree fork = new LogTree();
        grow(fork, 10, "f");
        Witness.Response r = w.add(request(10, List.of(), note(fork, 10)));
        assertThat(r.status()).isEqualTo(422);
        assertThat(add(w, 10, 10).status()).as("the honest checkpoint is still the witness's").isEqualTo(200);
    }

    @Test
    void refusesALargerForkWhoseProofDoesNotLeadFromTheCosignedRoot() throws Exception {
        Witness w = witness();
        grow(tree, 10, "e");
        add(w, 0, 10);
        LogTree fork = new LogTree();
        grow(fork, 20, "f");
        Witness.Response r = w.add(request(10, fork.consistencyProof(10, 20), note(fork, 20)));
        assertThat(r.status()).isEqualTo(422);
    }

    @Test
    void refusesARollback() throws Exception {
        Witness w = witness();
        grow(tree, 20, "e");
        add(w, 0, 20);
        assertThat(w.add(request(20, List.of(), note(tree, 12))).status()).as("old size above the checkpoint").isEqualTo(400);
        assertThat(w.add(request(12, List.of(), note(tree, 12))).status()).as("old size not the witness's").isEqualTo(409);
        assertThat(w.add(request(0, List.of(), note(tree, 12))).status()).isEqualTo(409);
    }

    @Test
    void refusesABadProofWith422() throws Exception {
        Witness w = witness();
        grow(tree, 10, "e");
        add(w, 0, 10);
        grow(tree, 13, "e");
        List<byte[]> proof = new ArrayList<>(tree.consistencyProof(10, 23));
        proof.set(0, MessageDigest.getInstance("SHA-256").digest(proof.get(0)));
        assertThat(w.add(request(10, proof, note(tree, 23))).status()).isEqualTo(422);
        assertThat(w.add(request(10, proof.subList(1, proof.size()), note(tree, 23))).status()).isEqualTo(422);
        assertThat(w.add(request(0, List.of(proof.get(0)), note(tree, 23))).status()).as("a proof from size 0").isEqualTo(409);
    }

    @Test
    void aProofFromSizeZeroMustBeEmpty() throws Exception {
        Witness w = witness();
        grow(tree, 10, "e");
        assertThat(w.add(request(0, List.of(tree.root(10)), note(tree, 10))).status()).isEqualTo(422);
    }

    @Test
    void aCheckpointOfSizeZeroMustHaveTheEmptyRoot() throws Exception {
        Witness w = witness();
        String wrong = log.sign(new Checkpoint(ORIGIN, 0, new byte[32], List.of()).body());
        assertThat(w.add(request(0, List.of(), wrong)).status()).isEqualTo(422);
        String empty = log.sign(new Checkpoint(ORIGIN, 0, MessageDigest.getInstance("SHA-256").digest(new byte[0]), List.of()).body());
        assertThat(w.add(request(0, List.of(), empty)).status()).isEqualTo(200);
    }

    @Test
    void aCheckpointSignedByAnotherKeyOrWithABadSignatureIs403() throws Exception {
        Witness w = witness();
        grow(tree, 10, "e");
        NoteSigner impostor = NoteSigner.generate(ORIGIN);
        String body = new Checkpoint(ORIGIN, 10, tree.root(10), List.of()).body();
        assertThat(w.add(request(0, List.of(), impostor.sign(body))).status()).isEqualTo(403);
        String good = log.sign(body);
        String tampered = good.replace("\n10\n", "\n11\n");
        assertThat(w.add(request(0, List.of(), tampered)).status()).isEqualTo(403);
        assertThat(w.add(request(0, List.of(), good + impostor.sign(body).substring(body.length() + 1))).status())
                .as("an unknown key's signature beside a trusted one is ignored").isEqualTo(200);
    }

    @Test
    void anUnknownOriginIs404AndAMalformedBodyIs400() throws Exception {
        Witness w = witness();
        NoteSigner other = NoteSigner.generate("log.example/other");
        assertThat(w.add(request(0, List.of(), other.sign(new Checkpoint("log.example/other", 1, new byte[32], List.of()).body()))).status())
                .isEqualTo(404);
        grow(tree, 3, "e");
        String note = note(tree, 3);
        assertThat(w.add("old 01\n\n" + note).status()).isEqualTo(400);
        assertThat(w.add("old 0\n" + note).status()).isEqualTo(400);
        assertThat(w.add("old 0\nnot base64!\n\n" + note).status()).isEqualTo(400);
        assertThat(w.add("old 0\n\n" + note.replace("\n3\n", "\nthree\n")).status()).isEqualTo(400);
        assertThat(w.add("old 0\n" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n".repeat(64) + "\n" + note).status()).isEqualTo(400);
    }

    @Test
    void theCosignedCheckpointSurvivesARestartAndIsServedForMonitors() throws Exception {
        grow(tree, 10, "e");
        add(witness(), 0, 10);
        Witness again = witness();
        assertThat(add(again, 0, 10).body()).isEqualTo("10\n");
        LogTree fork = new LogTree();
        grow(fork, 10, "f");
        assertThat(again.add(request(10, List.of(), note(fork, 10))).status()).isEqualTo(422);
        String served = again.checkpoint(WitnessState.originHash(ORIGIN)).orElseThrow();
        assertThat(NoteVerifier.parse(log.verifierKey()).verify(served)).isEqualTo(new Checkpoint(ORIGIN, 10, tree.root(10), List.of()).body());
        assertThat(CosignatureVerifier.parse(key.verifierKey()).verify(served)).isPresent();
        assertThat(again.checkpoint("00")).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(WitnessState.originHash(ORIGIN));
        }
    }
}
