package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedCheckpointTest {
    final NoteSigner signer = NoteSigner.generate("custos.example/log");
    final Checkpoint checkpoint = new Checkpoint("custos.example/log", 1234, new byte[32], List.of("ext one"));

    @Test
    void checkpointBodyIsOriginSizeRootAndExtensions() throws Exception {
        assertThat(checkpoint.body()).isEqualTo("custos.example/log\n1234\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\next one\n");
        assertThat(Checkpoint.parse(checkpoint.body())).isEqualTo(checkpoint);
    }

    @Test
    void malformedCheckpointsAreRejected() {
        String root = Base64.getEncoder().encodeToString(new byte[32]);
        for (String bad : List.of("o\n12\n" + root, "o\n012\n" + root + "\n", "o\n-1\n" + root + "\n", "\n1\n" + root + "\n",
                "o\n1\nAAAA\n", "o\n1\n" + root + "\n\n", "o\n1\n", "o\n99999999999999999999\n" + root + "\n")) {
            assertThatThrownBy(() -> Checkpoint.parse(bad)).as(bad).isInstanceOf(InvalidProofException.class);
        }
    }

    @Test
    void verifierKeyFollowsTheSignedNoteEncoding() throws Exception {
        String vkey = signer.verifierKey();
        String[] parts = vkey.split("\\+", 3);
        assertThat(parts[0]).isEqualTo("custos.example/log");
        byte[] typed = Base64.getDecoder().decode(parts[2]);
        assertThat(typed).hasSize(33).startsWith(1);
        byte[] idInput = new byte[parts[0].length() + 2 + 32];
        System.arraycopy(parts[0].getBytes(StandardCharsets.UTF_8), 0, idInput, 0, parts[0].length());
        idInput[parts[0].length()] = 0x0A;
        idInput[parts[0].length() + 1] = 0x01;
        System.arraycopy(typed, 1, idInput, parts[0].length() + 2, 32);
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(idInput);
        assertThat(parts[1]).isEqualTo(HexFormat.of().formatHex(sha, 0, 4));

        String note = signer.sign(checkpoint.body());
        String sigLine = note.substring(note.indexOf("\n\n") + 2);
        assertThat(sigLine).startsWith("\u2014 custos.example/log ").endsWith("\n");
        byte[] blob = Base64.getDecoder().decode(sigLine.substring(2 + parts[0].length() + 1).trim());
        assertThat(blob).hasSize(68);
        assertThat(HexFormat.of().formatHex(blob, 0, 4)).isEqualTo(parts[1]);
    }

    @Test
    void signedCheckpointVerifiesWithTheVerifierKey() throws Exception {
        String note = signer.sign(checkpoint.body());
        NoteVerifier verifier = NoteVerifier.parse(signer.verifierKey());
        assertThat(Checkpoint.parse(verifier.verify(note))).isEqualTo(checkpoint);
        NoteSigner restored = NoteSigner.restore(signer.name(), signer.privateKeyPkcs8(), signer.publicKeyX509());
        assertThat(verifier.verify(restored.sign(checkpoint.body()))).isEqualTo(checkpoint.body());
    }

    @Test
    void unknownExtraSignaturesAreIgnored() throws Exception {
        NoteSigner other = NoteSigner.generate("witness.example");
        String note = signer.sign(checkpoint.body());
        String cosigned = note + other.sign(checkpoint.body()).substring(checkpoint.body().length() + 1);
        assertThat(NoteVerifier.parse(signer.verifierKey()).verify(cosigned)).isEqualTo(checkpoint.body());
        assertThat(NoteVerifier.parse(other.verifierKey()).verify(cosigned)).isEqualTo(checkpoint.body());
    }

    @Test
    void tamperedOrForeignNotesAreRejected() throws Exception {
        NoteVerifier verifier = NoteVerifier.parse(signer.verifierKey());
        String note = signer.sign(checkpoint.body());
        assertThatThrownBy(() -> verifier.verify(note.replace("1234", "1235"))).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> verifier.verify(NoteSigner.generate("custos.example/log").sign(checkpoint.body())))
                .hasMessageContaining("not signed by");
        assertThatThrownBy(() -> verifier.verify(checkpoint.body())).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> verifier.verify(note.replace("\u2014", "-"))).hasMessageContaining("malformed");
        assertThatThrownBy(() -> verifier.verify(note.substring(0, note.length() - 1))).isInstanceOf(InvalidProofException.class);
        int sigStart = note.lastIndexOf(' ') + 1;
        char c = note.charAt(sigStart + 20);
        String flipped = note.substring(0, sigStart + 20) + (c == 'A' ? 'B' : 'A') + note.substring(sigStart + 21);
        assertThatThrownBy(() -> verifier.verify(flipped)).isInstanceOf(InvalidProofException.class);
    }

    @Test
    void malformedVerifierKeysAreRejected() {
        String good = signer.verifierKey();
        String[] p = good.split("\\+", 3);
        for (String bad : List.of("nokey", p[0] + "+" + p[1], p[0] + "+00000000+" + p[2], "other+" + p[1] + "+" + p[2],
                p[0] + "+" + p[1] + "+AAAA")) {
            assertThatThrownBy(() -> NoteVerifier.parse(bad)).as(bad).isInstanceOf(InvalidProofException.class);
        }
    }
}
