package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventSealerTest {
    final EventSealer sealer = new EventSealer();

    static AccessEvent event(long subject) {
        return new AccessEvent(UUID.randomUUID(), Instant.parse("2026-11-22T20:00:00.123456Z"), 7, "client-7", "playlists",
                "friends:read", 11, subject, List.of(12L, 13L), Outcome.ALLOW, List.of("consent 4 v2"),
                new DecisionBasis(1, 2, 3, 4, 5, 6), 2, List.of("name", "email"));
    }

    @Test
    void canonicalBytesRoundTrip() {
        AccessEvent e = event(42);
        assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
        assertThat(EventCodec.encode(e)).isEqualTo(EventCodec.encode(e));
    }

    @Test
    void commitmentCarriesNoPersonalDataAndOpensBackToTheEvent() throws Exception {
        AccessEvent e = event(42);
        byte[] key = sealer.newPersonKey();
        SealedEvent sealed = sealer.seal(e, key);
        assertThat(sealed.leafData()).hasSize(33).startsWith(EventSealer.COMMITMENT_VERSION);
        String visible = new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1) + new String(sealed.leafData(), StandardCharsets.ISO_8859_1);
        assertThat(visible).doesNotContain("client-7").doesNotContain("friends:read").doesNotContain("email");
        assertThat(sealer.open(sealed, key)).isEqualTo(e);
        assertThat(sealer.seal(e, key).leafData()).as("fresh salt each time").isNotEqualTo(sealed.leafData());
    }

    @Test
    void shreddedKeyCannotReadTheEventButTheProofStillVerifies() throws Exception {
        LogTree tree = new LogTree();
        byte[] key = sealer.newPersonKey();
        SealedEvent sealed = sealer.seal(event(42), key);
        for (int i = 0; i < 5; i++) tree.appendData(sealer.seal(event(i), sealer.newPersonKey()).leafData());
        long index = tree.appendData(sealed.leafData());
        tree.appendData(sealer.seal(event(9), sealer.newPersonKey()).leafData());

        java.util.Arrays.fill(key, (byte) 0); // the person is erased: their key is gone
        assertThatThrownBy(() -> sealer.open(sealed, sealer.newPersonKey())).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> sealer.open(sealed, key)).hasMessageContaining("does not decrypt");
        ProofVerifier.verifyInclusion(ProofVerifier.leafHash(sealed.leafData()), index, tree.size(),
                tree.inclusionProof(index, tree.size()), tree.root());
    }

    @Test
    void ciphertextMovedToAnotherCommitmentIsRejected() {
        byte[] key = sealer.newPersonKey();
        SealedEvent a = sealer.seal(event(1), key);
        SealedEvent b = sealer.seal(event(1), key);
        SealedEvent swapped = new SealedEvent(b.leafData(), a.salt(), a.nonce(), a.ciphertext());
        assertThatThrownBy(() -> sealer.open(swapped, key)).isInstanceOf(InvalidProofException.class);
    }
}
