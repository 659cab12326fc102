package custos.server.audit;

import custos.audit.Checkpoint;
import custos.audit.FullTile;
import custos.audit.InvalidProofException;
import custos.audit.LogTree;
import custos.audit.ProofVerifier;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The stored log checked before this instance signs or appends anything, while its tree is resumed from the stored
 * tiles: the right edge at the last full tile below the newest {@link #REHASHED} entries (and below the latest signed
 * checkpoint and the stored tiles' end) is read from one row of tile roots per level, and every entry after it is
 * re-read and re-hashed: indexes dense, every leaf hash the hash of its stored data, the head row at the end of the
 * entries, and the latest signed checkpoint signed by this log's key, no larger than the entries, with a root the
 * resumed tree and the re-hashed entries hash to, and a tree consistent with it. All of it is read in one snapshot,
 * so other instances appending meanwhile cannot make an honest log look broken. Bounded work whatever the log's
 * size; the entries older than the window are checked by {@link RunningCheck}'s sweep while the server runs, and in
 * full by {@code custos log verify} (docs/architecture.md).
 */
final class StartCheck {
    static final int CHUNK = 10_000;
    /** Entries re-hashed at every start at least (256 full leaf tiles); fewer only when the log is smaller. */
    static final long REHASHED = 1L << 16;

    /**
     * The tree resumed from a log that passed, its latest signed checkpoint (null when none was signed yet), and the
     * first entry re-read from the store (every one before it came from the stored tiles).
     */
    record Rebuilt(LogTree tree, String latestNote, long rehashedFrom) {}

    private StartCheck() {}

    static Rebuilt rebuild(Jdbi jdbi, LogKeyring keys, StoredTiles tiles, long rehashed) {
        SignedCheckpoints checkpoints = new SignedCheckpoints(keys);
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            Optional<SignedCheckpoints.Stored> latest = SignedCheckpoints.latest(h);
            long head = h.createQuery("select next_idx from audit_log_head").mapTo(Long.class).findOne().orElse(0L);
            long tiled = StoredTiles.tiledSize(h);
            // Never resumed past what was signed: the signed root is then checked against re-hashed entries.
            long from = Math.min(Math.min(tiled, latest.map(SignedCheckpoints.Stored::size).orElse(Long.MAX_VALUE)), Math.max(0, head - rehashed))
                    / FullTile.WIDTH * FullTile.WIDTH;
            LogTree tree = LogTree.resume(tiles, from);
            readEntries(h, tree);
            long size = tree.size();
            Optional<Long> beyond = h.createQuery("select min(idx) from access_events where idx >= :size")
                    .bind("size", size).mapTo(Long.class).findOne();
            if (beyond.isPresent()) {
                throw StoredLeaf.missing(size, beyond.get());
            }
            checkHead(h, size);
            String note = null;
            if (latest.isPresent()) {
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
                note = latest.get().note();
            }
            if (tiled > size) {
                throw new LogIntegrityException("stored tiles", "the stored tiles cover " + tiled + " entries but the store holds "
                        + size + " (entries " + size + ".." + (tiled - 1) + " were removed)");
            }
            return new Rebuilt(tree, note, from);
        });
    }

    /** Every stored entry from the tree's size on, in bounded index ranges, checked as it is appended. */
    static void readEntries(Handle h, LogTree tree) {
        while (true) {
            long from = tree.size();
            List<StoredLeaf> rows = StoredLeaf.range(h, from, from + CHUNK);
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
