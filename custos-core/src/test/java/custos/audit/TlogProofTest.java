package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlogProofTest {
    final NoteSigner signer = NoteSigner.generate("custos.example/log");
    final LogTree tree = new LogTree();

    TlogProof receipt(long index) {
        for (int i = 0; i < 13; i++) tree.appendData(("e" + i).getBytes());
        String note = signer.sign(new Checkpoint("custos.example/log", tree.size(), tree.root(), List.of()).body());
        return new TlogProof(index, tree.inclusionProof(index, tree.size()), note);
    }

    @Test
    void receiptRoundTripsAndVerifiesOffline() throws Exception {
        TlogProof proof = receipt(6);
        String text = proof.format();
        assertThat(text).startsWith("c2sp.org/tlog-proof@v1\nindex 6\n").contains("\n\ncustos.example/log\n13\n");
        Checkpoint cp = TlogProof.parse(text).verify("e6".getBytes(), NoteVerifier.parse(signer.verifierKey()));
        assertThat(cp.size()).isEqualTo(13);
    }

    @Test
    void tamperedReceiptsFail() throws Exception {
        String text = receipt(6).format();
        NoteVerifier v = NoteVerifier.parse(signer.verifierKey());
        assertThatThrownBy(() -> TlogProof.parse(text).verify("e7".getBytes(), v)).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> TlogProof.parse(text.replace("index 6", "index 7")).verify("e6".getBytes(), v)).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> TlogProof.parse(text.replace("\n13\n", "\n14\n")).verify("e6".getBytes(), v)).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> TlogProof.parse(text.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"))).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> TlogProof.parse(text.replace("index 6", "index 06"))).isInstanceOf(InvalidProofException.class);
        String dropped = text.replaceFirst("index 6\n[^\n]+\n", "index 6\n");
        assertThatThrownBy(() -> TlogProof.parse(dropped).verify("e6".getBytes(), v)).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> TlogProof.parse(text).verify("e6".getBytes(), NoteVerifier.parse(NoteSigner.generate("custos.example/log").verifierKey())))
                .hasMessageContaining("not signed");
    }
}
