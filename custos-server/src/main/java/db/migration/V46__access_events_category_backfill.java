package db.migration;

import custos.audit.AccessEvent;
import custos.audit.EventSealer;
import custos.audit.InvalidProofException;
import custos.audit.SealedEvent;
import custos.server.audit.EntryCategory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Gives the entries written before V45 their category, so the history's category filter finds them too: each
 * readable entry is opened with its subject's key (in the store) and its scope's category stored. An entry whose
 * key was erased stays without one, as unreadable as before. Batches along the primary key.
 */
public class V46__access_events_category_backfill extends BaseJavaMigration {
    private static final int BATCH = 5_000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        EventSealer sealer = new EventSealer();
        long after = -1;
        while (true) {
            List<Long> indexes = new ArrayList<>();
            List<Short> codes = new ArrayList<>();
            int read = 0;
            try (PreparedStatement q = c.prepareStatement("""
                    select e.idx, e.leaf_data, e.salt, e.nonce, e.ciphertext, k.aes_key
                    from access_events e left join person_keys k on k.person_id = e.subject_person
                    where e.idx > ? and e.category is null order by e.idx limit ?""")) {
                q.setLong(1, after);
                q.setInt(2, BATCH);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        after = rs.getLong("idx");
                        byte[] key = rs.getBytes("aes_key");
                        byte[] ciphertext = rs.getBytes("ciphertext");
                        if (key == null || ciphertext == null) {
                            continue;
                        }
                        try {
                            AccessEvent event = sealer.open(new SealedEvent(rs.getBytes("leaf_data"), rs.getBytes("salt"),
                                    rs.getBytes("nonce"), ciphertext), key);
                            Short code = EntryCategory.ofScope(event.scope());
                            if (code != null) {
                                indexes.add(after);
                                codes.add(code);
                            }
                        } catch (InvalidProofException e) {
                            // Left without a category: the integrity checks, not a migration, report such an entry.
                        }
                    }
                }
            }
            if (!indexes.isEmpty()) {
                try (PreparedStatement u = c.prepareStatement("""
                        update access_events e set category = u.code
                        from unnest(?, ?) as u(idx, code) where e.idx = u.idx""")) {
                    u.setArray(1, c.createArrayOf("int8", indexes.toArray()));
                    u.setArray(2, c.createArrayOf("int2", codes.toArray()));
                    u.executeUpdate();
                }
            }
            if (read < BATCH) {
                return;
            }
        }
    }
}
