package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our tree and verifier against the RFC 6962 reference tree and transparency-dev/merkle's published vectors. */
class MerkleConformanceTest {
    static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};

    static LogTree referenceTree(int size) {
        LogTree tree = new LogTree();
        for (int i = 0; i < size; i++) tree.appendData(HexFormat.of().parseHex(LEAVES[i]));
        return tree;
    }

    @Test
    void referenceTreeHasThePublishedRoots() {
        assertThat(b64(referenceTree(1).root())).isEqualTo("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
        assertThat(b64(referenceTree(2).root())).isEqualTo("+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=");
        assertThat(b64(referenceTree(5).root())).isEqualTo("Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=");
        assertThat(b64(referenceTree(8).root())).isEqualTo("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
        assertThat(HexFormat.of().formatHex(new LogTree().root()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        LogTree eight = referenceTree(8);
        assertThat(b64(eight.root(5))).isEqualTo("Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"happy-path", "trailing-garbage", "removed-component"})
    void inclusionVectors(String name) throws IOException {
        String json = resource("inclusion/" + name + ".json");
        long index = number(json, "leafIdx");
        long size = number(json, "treeSize");
        byte[] root = hash(json, "root");
        byte[] leaf = hash(json, "leafHash");
        List<byte[]> proof = proof(json);
        if (bool(json, "wantErr")) {
            assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, index, size, proof, root))
                    .isInstanceOf(InvalidProofException.class);
        } else {
            assertThatCode(() -> ProofVerifier.verifyInclusion(leaf, index, size, proof, root));
            LogTree tree = referenceTree((int) size);
            assertThat(tree.inclusionProof(index, size)).usingElementComparator(MerkleConformanceTest::compare).isEqualTo(proof);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-happy-path", "3-happy-path", "1-truncated-proof", "1-swapped-roots", "1-trailing-garbage"})
    void consistencyVectors(String name) throws IOException {
        String json = resource("consistency/" + name + ".json");
        long from = number(json, "size1");
        long to = number(json, "size2");
        byte[] root1 = hash(json, "root1");
        byte[] root2 = hash(json, "root2");
        List<byte[]> proof = proof(json);
        if (bool(json, "wantErr")) {
            assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, proof, root1, root2))
                    .isInstanceOf(InvalidProofException.class);
        } else {
            assertThatCode(() -> ProofVerifier.verifyConsistency(from, to, proof, root1, root2));
            LogTree tree = referenceTree((int) to);
            assertThat(tree.consistencyProof(from, to)).usingElementComparator(MerkleConformanceTest::compare).isEqualTo(proof);
        }
    }

    @Test
    void rejectsMalformedRequests() {
        LogTree tree = referenceTree(8);
        byte[] root = tree.root();
        byte[] leaf = tree.leafHash(3);
        List<byte[]> path = tree.inclusionProof(3, 8);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 8, 8, path, root)).hasMessageContaining("outside");
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, -1, 8, path, root)).hasMessageContaining("outside");
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 0, 0, List.of(), root)).hasMessageContaining("outside");
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 3, 4, path, root)).hasMessageContaining("too long");
        List<byte[]> cons = tree.consistencyProof(3, 8);
        byte[] root3 = tree.root(3);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 8, cons, root3, root)).hasMessageContaining("proves nothing");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(8, 3, cons, root, root3)).hasMessageContaining("smaller");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 8, List.of(), root3, root)).hasMessageContaining("empty");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(8, 8, cons, root, root)).hasMessageContaining("must be empty");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(8, 8, List.of(), root, root3)).hasMessageContaining("forked");
        assertThatCode(() -> ProofVerifier.verifyConsistency(8, 8, List.of(), root, root));
        assertThatCode(() -> ProofVerifier.verifyConsistency(3, 8, cons, root3, root));
    }

    /** Runs the call and fails the test if it throws: success paths must be real assertions, not silence. */
    static void assertThatCode(ThrowingCall call) {
        try {
            call.run();
        } catch (InvalidProofException e) {
            throw new AssertionError("expected the proof to verify: " + e.getMessage(), e);
        }
    }

    interface ThrowingCall {
        void run() throws InvalidProofException;
    }

    static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compare(a, b);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = MerkleConformanceTest.class.getResourceAsStream("/merkle-testdata/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) throw new IllegalArgumentException(key);
        return Long.parseLong(m.group(1));
    }

    static boolean bool(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(true|false)").matcher(json);
        if (!m.find()) throw new IllegalArgumentException(key);
        return Boolean.parseBoolean(m.group(1));
    }

    static byte[] hash(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) throw new IllegalArgumentException(key);
        return Base64.getDecoder().decode(m.group(1));
    }

    static List<byte[]> proof(String json) {
        Matcher m = Pattern.compile("\"proof\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) throw new IllegalArgumentException("proof");
        List<byte[]> out = new ArrayList<>();
        Matcher item = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (item.find()) out.add(Base64.getDecoder().decode(item.group(1)));
        return out;
    }
}
