package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** C2SP tlog-cosignature/v1 (Ed25519) byte for byte: the spec's examples, reference implementations' vectors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CosignatureTest {
    /** The checkpoint body of the tlog-cosignature and tlog-witness examples (c2sp.org/tlog-cosignature, "Format"). */
    static final String SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    /** RFC 8032 §7.1 TEST 1 secret key, as PKCS#8, and its public key. */
    static final byte[] RFC8032_PKCS8 = Base64.getDecoder().decode("MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g");
    static final byte[] RFC8032_PUBLIC = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    final CosignatureSigner rfcKey = CosignatureSigner.restore("witness.example.com/w1", RFC8032_PKCS8, RFC8032_PUBLIC);

    @Test
    void signedMessageIsTheSpecsExampleText() {
        // c2sp.org/tlog-cosignature, "Ed25519 signed message": the example message for time 1679315147.
        assertThat(new String(CosignatureSigner.message(SPEC_BODY, 1679315147L), StandardCharsets.UTF_8)).isEqualTo(
                "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
    }

    @Test
    void keyIdAndVerifierKeyFollowTheSpecFormula() {
        // SHA-256("witness.example.com/w1" || "\n" || 0x04 || pubkey)[:4] and base64(0x04 || pubkey), computed
        // independently with Python's cryptography package (pyca) from the RFC 8032 TEST 1 key.
        assertThat(rfcKey.verifierKey()).isEqualTo("witness.example.com/w1+7e6f4aaa+BNdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea");
    }

    @Test
    void cosignatureLineMatchesAnIndependentImplementationByteForByte() throws Exception {
        // Ed25519 is deterministic: pyca/cryptography signing the spec's message with the RFC 8032 TEST 1 key gives
        // exactly this line (key ID || big-endian u64 1679315147 || signature).
        String expected = "\u2014 witness.example.com/w1 fm9KqgAAAABkGFDL+TPmh4BYuAjsYRoqMJCWb/gWJaeRF/kmm5tlCr9sJ57DLErur7K0yDXc2ArN+TIuotuB/HbuL3AJsp3bv/aNCQ==\n";
        assertThat(rfcKey.cosign(SPEC_BODY, 1679315147L)).isEqualTo(expected);
        CosignatureVerifier v = CosignatureVerifier.parse(rfcKey.verifierKey());
        assertThat(v.verify(SPEC_BODY + "\n" + expected).getAsLong()).isEqualTo(1679315147L);
    }

    @Test
    void theSpecsExampleCosignatureIsKeyIdThenBigEndianTimestampThenSignature() throws Exception {
        // c2sp.org/tlog-cosignature, the cosigned checkpoint example: its witness line is 4 + 8 + 64 bytes and its
        // timestamp is the 1679315147 of the signed-message example.
        SignedNote note = SignedNote.parse(SPEC_BODY + "\n"
                + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
                + "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n");
        byte[] blob = note.signatures().get(1).blob();
        assertThat(blob).hasSize(76);
        assertThat(ByteBuffer.wrap(blob, 4, 8).getLong()).isEqualTo(1679315147L);
        // transparency-dev/formats note/note_cosigv1_test.go TestCoSigV1Timestamp: this blob's time is 1727964367.
        byte[] formats = Base64.getDecoder().decode("ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==");
        assertThat(ByteBuffer.wrap(formats, 4, 8).getLong()).isEqualTo(1727964367L);
    }

    @Test
    void parsesAReferenceImplementationsCosignerVkeyAndRefusesOtherTypes() throws Exception {
        // transparency-dev/formats note/note_cosigv1_test.go TestCoSigV1NewVerifier: a native Ed25519 cosignature v1 vkey.
        assertThat(CosignatureVerifier.parse("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2").name())
                .isEqualTo("remora.n621.de");
        // Same test: a wrong key hash is refused.
        assertThatThrownBy(() -> CosignatureVerifier.parse("remora.n621.de+00000000+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"))
                .isInstanceOf(InvalidProofException.class);
        // c2sp.org/signed-note's example vkey is a type 0x01 note key: not a cosigner key, and the reverse.
        assertThatThrownBy(() -> CosignatureVerifier.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> NoteVerifier.parse(rfcKey.verifierKey())).isInstanceOf(InvalidProofException.class);
    }

    @Test
    void aCosignatureCoversExtensionLinesAndTheTimestamp() throws Exception {
        CosignatureSigner w = CosignatureSigner.generate("w.example/1");
        CosignatureVerifier v = CosignatureVerifier.parse(w.verifierKey());
        String body = new Checkpoint("log.example/a", 5, new byte[32], List.of("ext")).body();
        String line = w.cosign(body, 1_700_000_000L);
        assertThat(v.verify(body + "\n" + line)).hasValue(1_700_000_000L);
        assertThatThrownBy(() -> v.verify(body.replace("ext", "ex2") + "\n" + line)).isInstanceOf(InvalidProofException.class);
        byte[] blob = SignedNote.parse(body + "\n" + line).signatures().getFirst().blob();
        blob[11] ^= 1; // another timestamp, same signature
        assertThatThrownBy(() -> v.verify(body + "\n" + new SignedNote.Signature("w.example/1", blob).line()))
                .isInstanceOf(InvalidProofException.class);
    }

    @Test
    void aLogSignatureIsNotACosignatureAndOtherWitnessesAreIgnored() throws Exception {
        NoteSigner log = NoteSigner.generate("log.example/a");
        CosignatureSigner w = CosignatureSigner.generate("w.example/1");
        CosignatureSigner other = CosignatureSigner.generate("w.example/2");
        String body = new Checkpoint("log.example/a", 5, new byte[32], List.of()).body();
        String note = log.sign(body) + other.cosign(body, 1);
        assertThat(CosignatureVerifier.parse(w.verifierKey()).verify(note)).isEmpty();
        assertThat(CosignatureVerifier.parse(other.verifierKey()).verify(note)).hasValue(1);
        assertThat(NoteVerifier.parse(log.verifierKey()).verify(note)).isEqualTo(body);
    }
}
