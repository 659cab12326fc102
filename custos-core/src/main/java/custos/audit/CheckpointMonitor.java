package custos.audit;

import java.security.MessageDigest;
import java.util.List;

/**
 * What a transparency-log monitor proves each time it sees a newer checkpoint: the note is signed by the pinned key,
 * names the same log, and its tree extends the last one accepted (a consistency proof checked against both signed
 * roots, so the server that hands out the proof cannot lie with it). A log that shrank, changed a root at the same
 * size or forked fails with an {@link InvalidProofException} saying which; a monitor must keep the last accepted
 * checkpoint durably, or it proves nothing across restarts.
 */
public final class CheckpointMonitor {

    /** Where the consistency proof between two sizes comes from (the log's server). */
    public interface Proofs {
        List<byte[]> consistency(long from, long to) throws Exception;
    }

    private CheckpointMonitor() {}

    /**
     * The checkpoint of {@code note} if it extends {@code last} (null: nothing accepted yet, so only the signature is
     * checked); throws {@link InvalidProofException} when the log is bad, and passes on what {@code proofs} throws.
     */
    public static Checkpoint extend(NoteVerifier key, Checkpoint last, String note, Proofs proofs) throws Exception {
        Checkpoint now = Checkpoint.parse(key.verify(note));
        if (last == null) {
            return now;
        }
        if (!now.origin().equals(last.origin())) {
            throw new InvalidProofException("the checkpoint is of another log: " + now.origin() + ", not " + last.origin());
        }
        if (now.size() < last.size()) {
            throw new InvalidProofException("the log shrank from " + last.size() + " to " + now.size() + " entries");
        }
        if (now.size() == last.size()) {
            if (!MessageDigest.isEqual(now.root(), last.root())) {
                throw new InvalidProofException("two signed roots for the same " + now.size() + " entries: the log forked");
            }
            return now;
        }
        if (last.size() == 0) {
            return now;
        }
        try {
            ProofVerifier.verifyConsistency(last.size(), now.size(), proofs.consistency(last.size(), now.size()),
                    last.root(), now.root());
        } catch (InvalidProofException e) {
            throw new InvalidProofException("the tree of " + now.size() + " entries does not extend the accepted one of "
                    + last.size() + " (" + e.getMessage() + "): the log forked or was rewritten");
        }
        return now;
    }
}
