package custos.server.audit;

import custos.audit.InvalidProofException;
import custos.audit.NoteVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every signing key the log has had ({@code log_keys}, public halves only), each with the tree sizes it signed: a key
 * signs from the size at which it took over up to and including the size at which the next one took over (the
 * checkpoint of that size may carry either). A stored checkpoint is genuine when a key valid for its size signed it.
 */
public final class LogKeyring {
    /** One key: its verifier key string and the tree sizes it may sign; {@code untilSize} null while it is the current key. */
    public record Key(String verifierKey, long fromSize, Long untilSize, Instant registeredAt) {
        boolean covers(long size) {
            return size >= fromSize && (untilSize == null || size <= untilSize);
        }
    }

    private final Jdbi jdbi;
    private final String origin;
    private volatile List<Key> keys;

    LogKeyring(Jdbi jdbi, String origin) {
        this.jdbi = jdbi;
        this.origin = origin;
        this.keys = jdbi.withHandle(h -> read(h, origin));
    }

    public String origin() {
        return origin;
    }

    /** The keys, oldest first. */
    public List<Key> keys() {
        return keys;
    }

    /** The keys as the store has them now (another instance may have rotated since this one started). */
    public List<Key> reloaded() {
        keys = jdbi.withHandle(h -> read(h, origin));
        return keys;
    }

    /** The note's text once a key valid for {@code size} signed it; the store is read again once before giving up (another instance may have rotated). */
    String verify(String note, long size) throws InvalidProofException {
        try {
            return verifyWith(keys, note, size);
        } catch (InvalidProofException first) {
            keys = jdbi.withHandle(h -> read(h, origin));
            return verifyWith(keys, note, size);
        }
    }

    private static String verifyWith(List<Key> keys, String note, long size) throws InvalidProofException {
        InvalidProofException last = null;
        for (Key key : keys) {
            if (!key.covers(size)) {
                continue;
            }
            try {
                return NoteVerifier.parse(key.verifierKey()).verify(note);
            } catch (InvalidProofException e) {
                last = e;
            }
        }
        throw last != null ? last : new InvalidProofException("no key of this log may sign a tree of size " + size);
    }

    static List<Key> read(Handle h, String origin) {
        List<Object[]> rows = h.createQuery("select public_key, from_size, registered_at from log_keys where name = :n order by from_size, id")
                .bind("n", origin)
                .map((rs, ctx) -> new Object[] {rs.getBytes(1), rs.getLong(2), rs.getTimestamp(3).toInstant()}).list();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Long until = i + 1 < rows.size() ? (Long) rows.get(i + 1)[1] : null;
            keys.add(new Key(NoteVerifier.verifierKey(origin, (byte[]) rows.get(i)[0]), (Long) rows.get(i)[1], until,
                    (Instant) rows.get(i)[2]));
        }
        return List.copyOf(keys);
    }
}
