package custos.server.audit;

import custos.audit.Checkpoint;
import custos.audit.InvalidProofException;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.audit.ProofVerifier;
import custos.server.store.PlanEachCall;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The stored log checked before this instance signs or appends anything, while its tree is rebuilt: indexes dense
 * from 0, every leaf hash the hash of its stored data, the head row at the end of the entries, and the latest
 * signed checkpoint signed by this log's key, no larger than the entries, with a root the entries hash to and a
 * tree consistent with it. All of it is read in one snapshot, so other instances appending meanwhile cannot make
 * an honest log look broken. One pass over the entries: linear in the log.
 */
final class StartCheck {
    static final int CHUNK = 10_000;

    /** The tree rebuilt from a log that passed, and its latest signed checkpoint (null when none was signed yet). */
    record Rebuilt(LogTree tree, String latestNote) {}

    private StartCheck() {}

    static Rebuilt rebuild(Jdbi jdbi, NoteSigner signer) {
        SignedCheckpoints checkpoints = new SignedCheckpoints(signer);
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            LogTree tree = new LogTree();
            readEntries(h, tree);
            long size = tree.size();
            Optional<Long> beyond = h.createQuery("select min(idx) from access_events where idx >= :size")
                    .bind("size", size).mapTo(Long.class).findOne();
            if (beyond.isPresent()) {
                throw StoredLeaf.missing(size, beyond.get());
            }
            checkHead(h, size);
            Optional<SignedCheckpoints.Stored> latest = SignedCheckpoints.latest(h);
            if (latest.isEmpty()) {
                return new Rebuilt(tree, null);
            }
            Checkpoint checkpoint = checkpoints.open(latest.get());
            if (checkpoint.size() > size) {
                throw new LogIntegrityException("signed checkpoint", "a checkpoint was signed for " + checkpoint.size()
                        + " entries but the store holds " + size + " (entries " + size + ".." + (checkpoint.size() - 1) + " were removed)");
            }
            checkpoints.checkRoot(h, tree, checkpoint);
            if (checkpoint.size() > 0 && checkpoint.size() < size) {
                try {
                    ProofVerifier.verifyConsistency(checkpoint.size(), size, tree.consistencyProof(checkpoint.size(), size),
                            checkpoint.root(), tree.root());
                } catch (InvalidProofException e) {
                    throw new LogIntegrityException("consistency", "the tree of " + size
                            + " entries does not extend the checkpoint for size " + checkpoint.size() + ": " + e.getMessage());
                }
            }
            return new Rebuilt(tree, latest.get().note());
        });
    }

    /** Every stored entry from index 0, in bounded index ranges (each an index range scan), checked as it is appended. */
    private static void readEntries(Handle h, LogTree tree) {
        while (true) {
            long from = tree.size();
            List<StoredLeaf> rows = h.createQuery("select " + StoredLeaf.COLUMNS
                            + " from access_events where idx >= :from and idx < :to order by idx")
                    .addCustomizer(PlanEachCall.INSTANCE).bind("from", from).bind("to", from + CHUNK).map(StoredLeaf.MAPPER).list();
            StoredLeaf.integrate(tree, rows);
            if (rows.size() < CHUNK) {
                return;
            }
        }
    }

    private static void checkHead(Handle h, long size) {
        Optional<Long> next = h.createQuery("select next_idx from audit_log_head").mapTo(Long.class).findOne();
        if (next.isEmpty()) {
            throw new LogIntegrityException("head row", "the head row (audit_log_head) is missing; the store holds " + size + " entries");
        }
        if (next.get() < size) {
            throw new LogIntegrityException("head row", "the head row's next index is " + next.get() + " but the store holds "
                    + size + " entries (the head was moved back; the next append would reuse index " + next.get() + ")");
        }
        if (next.get() > size) {
            throw new LogIntegrityException("head row", "the head row's next index is " + next.get() + " but only the entries below "
                    + size + " are stored (entries " + size + ".." + (next.get() - 1) + " were removed)");
        }
    }
}
