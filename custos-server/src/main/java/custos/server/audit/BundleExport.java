package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.Checkpoint;
import custos.audit.EventCodec;
import custos.audit.EventSealer;
import custos.audit.FullTile;
import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.LogTree;
import custos.audit.SealedEvent;
import custos.audit.inputs.SampleIndexes;
import custos.server.audit.bundle.AuditBundle;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes auditor bundles from the store (the operator's side of issue 15): the openings of a partner's access entries
 * in a period (all, or a sample drawn from a checkpoint the auditor names) and of every decision input about the
 * partner and the people those entries name (actor, subject, co-subjects), each with its inclusion proof to the log's
 * latest signed checkpoint.
 * Entries past that checkpoint are left for the next bundle: a proof can only lead to a signed root.
 */
public final class BundleExport {
    /** What to export: the partner, the period [from, to), and optionally a sample of {@code n} from a seed checkpoint. */
    public record Request(String partnerSlug, Instant from, Instant to, String fromText, String toText, Integer sampleN,
                          String seedCheckpoint) {}

    private final Jdbi jdbi;
    private final EventSealer sealer = new EventSealer();

    public BundleExport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public AuditBundle export(Request r) throws InvalidProofException {
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, h -> export(h, r));
    }

    private AuditBundle export(Handle h, Request r) throws InvalidProofException {
        long partner = h.createQuery("select id from partners where slug = :s").bind("s", r.partnerSlug()).mapTo(Long.class)
                .findOne().orElseThrow(() -> new IllegalArgumentException("no partner with slug " + r.partnerSlug()));
        SignedCheckpoints.Stored stored = cosigned(h).or(() -> SignedCheckpoints.latest(h))
                .orElseThrow(() -> new IllegalStateException("the log has no signed checkpoint yet"));
        Checkpoint checkpoint = Checkpoint.parse(LogAuditor.body(stored.note()));
        long size = checkpoint.size();
        LogTree tree = tree(h, size);
        if (!MessageDigest.isEqual(tree.root(size), checkpoint.root())) {
            throw new IllegalStateException("the stored entries do not hash to the latest signed checkpoint's root");
        }

        List<Long> population = h.createQuery("""
                        select idx from access_events where partner_id = :p and entry_kind is null and at >= :f and at < :t
                           and idx < :n order by idx""")
                .bind("p", partner).bind("f", Timestamp.from(r.from())).bind("t", Timestamp.from(r.to())).bind("n", size)
                .mapTo(Long.class).list();
        AuditBundle.Sample sample = null;
        List<Long> shown = population;
        if (r.sampleN() != null) {
            byte[] root = seedRoot(h, r.seedCheckpoint());
            shown = SampleIndexes.draw(SampleIndexes.seed(root), population, r.sampleN());
            sample = new AuditBundle.Sample(r.sampleN(), r.seedCheckpoint(), population);
        }

        TreeMap<Long, AuditBundle.Entry> entries = new TreeMap<>();
        List<AuditBundle.Withheld> withheld = new ArrayList<>();
        Map<Long, byte[]> keys = new HashMap<>();
        Set<Long> people = new LinkedHashSet<>();
        for (Row row : rows(h, "e.idx = any(:ids)", shown)) {
            byte[] opening = openSealed(h, keys, row.subject(), row, withheld);
            if (opening == null) {
                continue;
            }
            AccessEvent e = EventCodec.decode(opening);
            people.add(e.actor());
            people.add(e.subject());
            people.addAll(e.coSubjects()); // released on their own inputs: the auditor re-decides them too
            entries.put(row.index(), entry(tree, size, row, opening));
        }
        people.remove(0L);

        // Every input about these people and the partner up to the checkpoint: whole chains, so no link is left out.
        List<InputRow> inputs = h.createQuery("""
                        select d.idx, d.person_id, d.opening from decision_inputs d
                         where d.idx < :n and (d.partner_id = :p or d.person_id = any(:people)) order by d.idx""")
                .bind("n", size).bind("p", partner).bind("people", people.toArray(Long[]::new))
                .map((rs, ctx) -> new InputRow(rs.getLong(1), (Long) rs.getObject(2), rs.getBytes(3))).list();
        Map<Long, Row> inputRows = new HashMap<>();
        for (Row row : rows(h, "e.idx = any(:ids)", inputs.stream().map(InputRow::index).toList())) {
            inputRows.put(row.index(), row);
        }
        for (InputRow in : inputs) {
            Row row = inputRows.get(in.index());
            byte[] opening = in.person() == null ? in.opening() : openSealed(h, keys, in.person(), row, withheld);
            if (opening != null) {
                entries.put(in.index(), entry(tree, size, row, opening));
            }
        }
        return new AuditBundle(AuditBundle.FORMAT, stored.note(), partner, r.partnerSlug(), r.fromText(), r.toText(), sample,
                List.copyOf(entries.values()), withheld);
    }

    /**
     * The newest checkpoint witnesses cosigned, with their cosignature lines appended as the log serves it (an auditor
     * may require them: {@code audit check --witness}); empty when no witness cosigned any.
     */
    private static java.util.Optional<SignedCheckpoints.Stored> cosigned(Handle h) {
        return h.createQuery("select c.size, c.note from log_checkpoints c where c.size = (select max(size) from log_cosignatures)")
                .map((rs, ctx) -> new SignedCheckpoints.Stored(rs.getLong(1), rs.getString(2))).findOne()
                .map(c -> new SignedCheckpoints.Stored(c.size(), c.note() + String.join("", h.createQuery(
                                "select signature from log_cosignatures where size = :s order by witness")
                        .bind("s", c.size()).mapTo(String.class).list())));
    }

    /** The root of the checkpoint the auditor named for the sample's seed (the checker verifies its signature). */
    private static byte[] seedRoot(Handle h, String note) throws InvalidProofException {
        if (note == null) {
            throw new IllegalArgumentException("a sample needs the seed checkpoint the auditor names");
        }
        return Checkpoint.parse(LogAuditor.body(note)).root();
    }

    private record Row(long index, long subject, byte[] leaf, byte[] salt, byte[] nonce, byte[] ciphertext, short kind) {}

    private record InputRow(long index, Long person, byte[] opening) {}

    private static List<Row> rows(Handle h, String where, List<Long> ids) {
        return h.createQuery("select e.idx, coalesce(e.subject_person, 0), e.leaf_data, e.salt, e.nonce, e.ciphertext,"
                        + " coalesce(e.entry_kind, 0) from access_events e where " + where + " order by e.idx")
                .bind("ids", ids.toArray(Long[]::new))
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4), rs.getBytes(5),
                        rs.getBytes(6), rs.getShort(7)))
                .list();
    }

    /** The canonical bytes of a sealed entry, or null (and a withheld note) when the person's key is gone. */
    private byte[] openSealed(Handle h, Map<Long, byte[]> keys, long person, Row row, List<AuditBundle.Withheld> withheld) {
        byte[] key = keys.computeIfAbsent(person, p -> AccessHistory.personKey(h, p));
        if (key == null || row.ciphertext() == null) {
            withheld.add(new AuditBundle.Withheld(row.index(), "sealed under the key of person " + person
                    + ", which was erased", person));
            return null;
        }
        try {
            return sealer.openBytes(new SealedEvent(row.leaf(), row.salt(), row.nonce(), row.ciphertext()), key);
        } catch (InvalidProofException e) {
            throw new IllegalStateException("log entry " + row.index() + " does not match its commitment", e);
        }
    }

    private static AuditBundle.Entry entry(LogTree tree, long size, Row row, byte[] opening) {
        return new AuditBundle.Entry(row.index(), row.leaf(), row.salt(), opening, tree.inclusionProof(row.index(), size));
    }

    /** The tree up to {@code size}: resumed from the stored tiles, then the leaf hashes of the entries after them. */
    private static LogTree tree(Handle h, long size) {
        long from = Math.min(StoredTiles.tiledSize(h), size) / FullTile.WIDTH * FullTile.WIDTH;
        LogTree tree = LogTree.resume(new StoredTiles(h.getJdbi()), from);
        h.createQuery("select leaf_hash from access_events where idx >= :f and idx < :n order by idx")
                .bind("f", from).bind("n", size).setFetchSize(10_000)
                .map((rs, ctx) -> rs.getBytes(1)).forEach(tree::appendLeafHash);
        return tree;
    }
}
