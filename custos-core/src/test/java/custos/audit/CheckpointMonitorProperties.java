package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A monitor accepts every honest growth of a random log, and no rewrite of any entry it had accepted, whatever proof
 * the lying host hands it (here: the honest proof of the rewritten tree).
 */
class CheckpointMonitorProperties {
    static final NoteSigner SIGNER = NoteSigner.generate("custos.test/log");
    static final NoteVerifier KEY = verifier();

    static NoteVerifier verifier() {
        try {
            return NoteVerifier.parse(SIGNER.verifierKey());
        } catch (InvalidProofException e) {
            throw new IllegalStateException(e);
        }
    }

    static LogTree tree(int size, int rewritten) {
        LogTree tree = new LogTree();
        for (int i = 0; i < size; i++) tree.appendData(((i == rewritten ? "rewritten " : "entry ") + i).getBytes());
        return tree;
    }

    static String note(LogTree tree) {
        return SIGNER.sign(new Checkpoint("custos.test/log", tree.size(), tree.root(), List.of()).body());
    }

    @Property(tries = 200)
    void honestGrowthIsAcceptedAndAnyRewriteOfAnAcceptedEntryIsNot(@ForAll @IntRange(min = 1, max = 700) int first,
                                                                    @ForAll @IntRange(min = 0, max = 700) int more,
                                                                    @ForAll @IntRange(min = 0, max = 699) int rawIndex) throws Exception {
        LogTree before = tree(first, -1);
        Checkpoint accepted = CheckpointMonitor.extend(KEY, null, note(before), (a, b) -> List.of());
        LogTree honest = tree(first + more, -1);
        Checkpoint grown = CheckpointMonitor.extend(KEY, accepted, note(honest), honest::consistencyProof);
        assertThat(grown.size()).isEqualTo(first + more);

        LogTree rewritten = tree(first + more, rawIndex % first);
        assertThatThrownBy(() -> CheckpointMonitor.extend(KEY, accepted, note(rewritten), rewritten::consistencyProof))
                .isInstanceOf(InvalidProofException.class);
    }
}
