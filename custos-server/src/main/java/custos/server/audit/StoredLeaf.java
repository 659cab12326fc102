package custos.server.audit;

import custos.audit.LogTree;
import custos.audit.ProofVerifier;
import java.security.MessageDigest;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import custos.server.store.PlanEachCall;

/** One stored entry as the tree sees it: its index, its leaf data and the leaf hash stored beside it. */
record StoredLeaf(long index, byte[] data, byte[] hash) {
    static final String COLUMNS = "idx, leaf_data, leaf_hash";
    static final RowMapper<StoredLeaf> MAPPER = (rs, ctx) -> new StoredLeaf(rs.getLong(1), rs.getBytes(2), rs.getBytes(3));

    /**
     * The stored entries {@code from..to-1} in index order. Bounded on both sides: a plan kept for the session stays
     * an index range scan at any table size (with only a lower bound, one made while the log was small read the
     * whole table every poll).
     */
    static List<StoredLeaf> range(Handle h, long from, long to) {
        return h.createQuery("select " + COLUMNS + " from access_events where idx >= :from and idx < :to order by idx")
                .addCustomizer(PlanEachCall.INSTANCE).bind("from", from).bind("to", to).map(MAPPER).list();
    }

    /** Fails unless the stored hash is the RFC 6962 leaf hash of the stored data. */
    void checkHash() {
        if (!MessageDigest.isEqual(ProofVerifier.leafHash(data), hash)) {
            throw new LogIntegrityException("leaf hash", "entry " + index + "'s stored leaf hash is not the hash of its stored leaf data");
        }
    }

    /**
     * Appends stored entries read in index order to the tree, each checked first: its index continues the tree
     * (indexes are dense from 0) and its hash is the hash of its data.
     */
    static void integrate(LogTree tree, List<StoredLeaf> rows) {
        for (StoredLeaf row : rows) {
            if (row.index() != tree.size()) {
                throw missing(tree.size(), row.index());
            }
            row.checkHash();
            tree.appendLeafHash(row.hash());
        }
    }

    /** Entry {@code expected} is not stored; the next stored one is {@code found}. */
    static LogIntegrityException missing(long expected, long found) {
        return new LogIntegrityException("dense indexes", "entry " + expected + " is missing (the stored entries "
                + (expected == 0 ? "start at " + found : "jump from " + (expected - 1) + " to " + found) + ")");
    }
}
