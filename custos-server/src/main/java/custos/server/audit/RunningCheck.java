package custos.server.audit;

import custos.audit.Checkpoint;
import custos.audit.LogTree;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * While the server runs, on each poll of the integrator: the store still holds what this instance integrated. A few
 * index lookups (the latest checkpoint, even one another instance signed; the head row; the tree's last entry)
 * and one bounded window of older entries, which walks the whole log over and over ({@link #WINDOW} per poll), so
 * a change anywhere is found within one pass and no poll grows with the log.
 */
final class RunningCheck {
    static final int WINDOW = 1_024;
    private final SignedCheckpoints checkpoints;
    private long windowFrom;
    private long checkedCheckpoint = -1;

    RunningCheck(SignedCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    void check(Handle h, LogTree tree) {
        long size = tree.size();
        // Read before the head: the head only grows, so an honest head read after it is at least its size.
        Optional<SignedCheckpoints.Stored> latest = SignedCheckpoints.latest(h);
        long head = h.createQuery("select next_idx from audit_log_head").mapTo(Long.class).findOne()
                .orElseThrow(() -> new LogIntegrityException("head row", "the head row (audit_log_head) is gone"));
        if (head < size) {
            throw new LogIntegrityException("head row", "the head row's next index is " + head + " but this instance has integrated "
                    + size + " entries (the head was moved back; the next append would reuse index " + head + ")");
        }
        if (latest.isPresent() && latest.get().size() != checkedCheckpoint) {
            if (latest.get().size() > head) {
                throw new LogIntegrityException("signed checkpoint", "a checkpoint was signed for " + latest.get().size()
                        + " entries but the head row's next index is " + head + " (entries were removed)");
            }
            if (latest.get().size() <= size) { // a larger one, signed by an instance further ahead, waits until integrated
                Checkpoint checkpoint = checkpoints.open(latest.get());
                checkpoints.checkRoot(h, tree, checkpoint);
                checkedCheckpoint = checkpoint.size();
            }
        }
        if (size == 0) {
            return;
        }
        compare(tree, h, size - 1, size);
        if (windowFrom >= size) {
            windowFrom = 0;
        }
        long to = Math.min(size, windowFrom + WINDOW);
        compare(tree, h, windowFrom, to);
        windowFrom = to;
    }

    /** Entries {@code from..to-1} are stored, dense, each hashing to its data and to the leaf the tree integrated. */
    private static void compare(LogTree tree, Handle h, long from, long to) {
        List<StoredLeaf> rows = StoredLeaf.range(h, from, to);
        long expected = from;
        for (StoredLeaf row : rows) {
            if (row.index() != expected) {
                throw new LogIntegrityException("dense indexes", "entry " + expected + ", integrated by this instance, is gone from the store");
            }
            row.checkHash();
            if (!MessageDigest.isEqual(row.hash(), tree.leafHash(expected))) {
                throw new LogIntegrityException("leaf hash", "entry " + expected + " in the store differs from the entry this instance integrated");
            }
            expected++;
        }
        if (expected < to) {
            throw new LogIntegrityException("dense indexes", "entry " + expected + ", integrated by this instance, is gone from the store");
        }
    }
}
