package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A receipt verifies with the log's key alone, and each kind of tampering fails with its own readable reason. */
class EntryReceiptTest {
    static final String ORIGIN = "custos.example/log";
    final NoteSigner signer = NoteSigner.generate(ORIGIN);
    final EventSealer sealer = new EventSealer();
    final LogTree tree = new LogTree();

    EntryReceipt receipt() throws Exception {
        SealedEvent sealed = null;
        byte[] key = sealer.newPersonKey();
        for (int i = 0; i < 9; i++) {
            SealedEvent s = sealer.seal(EventSealerTest.event(40 + i), key);
            tree.appendData(s.leafData());
            if (i == 5) sealed = s;
        }
        String note = signer.sign(new Checkpoint(ORIGIN, tree.size(), tree.root(), List.of()).body());
        String proof = new TlogProof(5, tree.inclusionProof(5, tree.size()), note).format();
        return new EntryReceipt(ORIGIN, 5, sealed.salt(), sealer.openBytes(sealed, key), sealed.leafData(),
                ProofVerifier.leafHash(sealed.leafData()), proof, note);
    }

    @Test
    void anOpenedReceiptProvesTheEventAtItsIndex() throws Exception {
        EntryReceipt.Verified v = receipt().verify(NoteVerifier.parse(signer.verifierKey()));
        assertThat(v.checkpoint().size()).isEqualTo(9);
        assertThat(v.event().subject()).isEqualTo(45);
        assertThat(v.event().purpose()).isEqualTo("playlists");
    }

    @Test
    void aReceiptWithoutOpeningProvesOnlyInclusion() throws Exception {
        EntryReceipt r = receipt();
        EntryReceipt bare = new EntryReceipt(ORIGIN, r.index(), null, null, r.leafData(), r.leafHash(), r.proof(), null);
        assertThat(bare.verify(NoteVerifier.parse(signer.verifierKey())).event()).isNull();
    }

    @Test
    void eachTamperingFailsWithItsReason() throws Exception {
        EntryReceipt r = receipt();
        NoteVerifier key = NoteVerifier.parse(signer.verifierKey());
        byte[] salt = r.salt().clone();
        salt[0] ^= 1;
        assertThatThrownBy(() -> new EntryReceipt(ORIGIN, 5, salt, r.eventBytes(), r.leafData(), r.leafHash(), r.proof(), r.checkpoint())
                .verify(key)).hasMessageContaining("does not recompute the entry's commitment");
        byte[] event = r.eventBytes().clone();
        event[event.length - 1] ^= 1;
        assertThatThrownBy(() -> new EntryReceipt(ORIGIN, 5, r.salt(), event, r.leafData(), r.leafHash(), r.proof(), r.checkpoint())
                .verify(key)).hasMessageContaining("does not recompute the entry's commitment");
        assertThatThrownBy(() -> r.verify(NoteVerifier.parse(NoteSigner.generate(ORIGIN).verifierKey())))
                .hasMessageContaining("signature does not verify");
        String otherPath = r.proof().replaceFirst("index 5\n[^\n]+\n", "index 5\n" + "A".repeat(43) + "=\n");
        assertThatThrownBy(() -> new EntryReceipt(ORIGIN, 5, r.salt(), r.eventBytes(), r.leafData(), r.leafHash(), otherPath, r.checkpoint())
                .verify(key)).hasMessageContaining("inclusion proof does not lead");
        assertThatThrownBy(() -> new EntryReceipt(ORIGIN, 4, r.salt(), r.eventBytes(), r.leafData(), r.leafHash(), r.proof(), r.checkpoint())
                .verify(key)).hasMessageContaining("the proof is for entry 5");
        assertThatThrownBy(() -> new EntryReceipt("other.example/log", 5, r.salt(), r.eventBytes(), r.leafData(), r.leafHash(), r.proof(), r.checkpoint())
                .verify(key)).hasMessageContaining("names log other.example/log");
        assertThatThrownBy(() -> new EntryReceipt(ORIGIN, 5, r.salt(), r.eventBytes(), r.leafData(), new byte[32], r.proof(), r.checkpoint())
                .verify(key)).hasMessageContaining("leaf hash");
    }
}
