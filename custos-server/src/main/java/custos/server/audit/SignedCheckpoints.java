package custos.server.audit;

import custos.audit.Checkpoint;
import custos.audit.InvalidProofException;
import custos.audit.LogTree;
import java.security.MessageDigest;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The checkpoints this log stored, read back and checked against its key and against a tree rebuilt from the store. */
final class SignedCheckpoints {
    /** A stored checkpoint: the size it is stored under and its signed note. */
    record Stored(long size, String note) {}

    private final LogKeyring keys;
    private final String origin;

    SignedCheckpoints(LogKeyring keys) {
        this.origin = keys.origin();
        this.keys = keys;
    }

    static Optional<Stored> latest(Handle h) {
        return h.createQuery("select size, note from log_checkpoints order by size desc limit 1")
                .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2))).findOne();
    }

    /** The checkpoint a stored note signs; fails unless a key of this log valid for that size signed it for the size it is stored under. */
    Checkpoint open(Stored stored) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(keys.verify(stored.note(), stored.size()));
        } catch (InvalidProofException e) {
            throw new LogIntegrityException("signed checkpoint", "the checkpoint stored for size " + stored.size()
                    + " is not signed by this log's key " + origin + " (" + e.getMessage() + ")");
        }
        if (!checkpoint.origin().equals(origin) || checkpoint.size() != stored.size()) {
            throw new LogIntegrityException("signed checkpoint", "the checkpoint stored for size " + stored.size()
                    + " signs size " + checkpoint.size() + " of log " + checkpoint.origin());
        }
        return checkpoint;
    }

    /**
     * Fails unless the tree's first {@code checkpoint.size()} entries hash to the signed root. On a mismatch the
     * earlier checkpoints narrow down where the stored history departs from the signed one: every checkpoint up to
     * the changed entry still matches and every later one does not, so a search over them takes O(log n) reads.
     */
    void checkRoot(Handle h, LogTree tree, Checkpoint checkpoint) {
        if (matches(tree, checkpoint)) {
            return;
        }
        long good = 0;
        long bad = checkpoint.size();
        while (true) {
            long mid = good + (bad - good) / 2;
            Optional<Stored> probe = between(h, good, mid, "desc");
            if (probe.isEmpty()) {
                probe = between(h, mid, bad - 1, "asc");
            }
            if (probe.isEmpty()) {
                break;
            }
            boolean ok;
            try {
                ok = matches(tree, open(probe.get()));
            } catch (LogIntegrityException unsigned) {
                ok = false;
            }
            if (ok) {
                good = probe.get().size();
            } else {
                bad = probe.get().size();
            }
        }
        String where = bad - good == 1 ? "entry " + good + " was changed or replaced"
                : "an entry in " + good + ".." + (bad - 1) + " was changed or replaced";
        throw new LogIntegrityException("signed root", "the stored entries 0.." + (checkpoint.size() - 1)
                + " do not hash to the root signed for size " + checkpoint.size() + ": " + where
                + (good > 0 ? " (the checkpoint for size " + good + " still matches)" : ""));
    }

    /** The largest ({@code desc}) or smallest ({@code asc}) checkpoint with {@code above < size <= atMost}. */
    private static Optional<Stored> between(Handle h, long above, long atMost, String order) {
        return h.createQuery("select size, note from log_checkpoints where size > :above and size <= :atMost order by size "
                        + order + " limit 1").bind("above", above).bind("atMost", atMost)
                .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2))).findOne();
    }

    private static boolean matches(LogTree tree, Checkpoint checkpoint) {
        return MessageDigest.isEqual(tree.root(checkpoint.size()), checkpoint.root());
    }
}
