package custos.audit;

import java.security.MessageDigest;
import java.util.List;

/**
 * What an outside auditor runs against a log or its mirror: check the checkpoint's signature, recompute the whole
 * tree from the entry bundles and compare its root with the signed one, and, given an earlier checkpoint, check
 * that the log then is a prefix of the log now (same signer, root of the first {@code n} entries unchanged).
 * Any mismatch is an {@link InvalidProofException} with a sentence saying what is wrong.
 */
public final class LogAuditor {

    /** Where the auditor reads the log: a server or a directory mirror. */
    public interface Source {
        /** The latest signed checkpoint note. */
        String checkpoint() throws Exception;

        /** The bytes at a tlog-tiles path such as {@code tile/entries/x001/234}. */
        byte[] read(String tilePath) throws Exception;
    }

    /** The verified checkpoint and how many entries were recomputed. */
    public record Result(Checkpoint checkpoint, long entries) {}

    private LogAuditor() {}

    public static Result verify(Source source, NoteVerifier key, String earlierNote) throws Exception {
        return verify(source, key, earlierNote, key);
    }

    /**
     * As above, the earlier checkpoint checked with {@code earlierKey}: the log's key was rotated between the two
     * (docs/operations.md, "Keys"), and the tree must still extend the one the old key signed.
     */
    public static Result verify(Source source, NoteVerifier key, String earlierNote, NoteVerifier earlierKey) throws Exception {
        Checkpoint now = Checkpoint.parse(key.verify(source.checkpoint()));
        LogTree tree = new LogTree();
        long size = now.size();
        for (long tile = 0; tile * TilePath.FULL < size; tile++) {
            int width = (int) Math.min(TilePath.FULL, size - tile * TilePath.FULL);
            TilePath path = TilePath.entries(tile, width);
            List<byte[]> entries = EntryBundle.decode(source.read(path.path()));
            if (entries.size() != width) {
                throw new InvalidProofException(path.path() + " holds " + entries.size() + " entries, the checkpoint needs " + width);
            }
            entries.forEach(tree::appendData);
        }
        if (!MessageDigest.isEqual(tree.root(size), now.root())) {
            throw new InvalidProofException("the entries do not hash to the signed root of size " + size
                    + ": an entry was changed, dropped or inserted");
        }
        if (earlierNote != null) {
            Checkpoint then = Checkpoint.parse(earlierKey.verify(earlierNote));
            if (!then.origin().equals(now.origin())) {
                throw new InvalidProofException("the earlier checkpoint is of another log: " + then.origin());
            }
            if (then.size() > size) {
                throw new InvalidProofException("the log shrank from " + then.size() + " to " + size + " entries");
            }
            if (!MessageDigest.isEqual(tree.root(then.size()), then.root())) {
                throw new InvalidProofException("forked history: the first " + then.size()
                        + " entries no longer hash to the earlier signed root");
            }
        }
        return new Result(now, size);
    }

    /** The body of a signed note (the text above the blank line), as {@link Checkpoint#parse} takes it. */
    public static String body(String note) {
        int blank = note.lastIndexOf("\n\n");
        return blank < 0 ? note : note.substring(0, blank + 1);
    }
}
