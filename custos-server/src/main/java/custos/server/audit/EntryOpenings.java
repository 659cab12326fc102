package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.Checkpoint;
import custos.audit.EntryReceipt;
import custos.audit.EventCodec;
import custos.audit.EventSealer;
import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.ProofVerifier;
import custos.audit.SealedEvent;
import custos.audit.TlogProof;
import custos.server.store.PlanEachCall;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * Receipts for the entries about one person: the inclusion proof up to a signed checkpoint for every such entry,
 * and the opening (salt and canonical event bytes) only where the person is the entry's subject. Where they are a
 * co-subject the event is the subject's record, sealed under the subject's key: the person gets the commitment and
 * its proof, never the friend's event.
 */
public final class EntryOpenings {
    /** How many entries one read of a person's whole history holds in memory. */
    public static final int PAGE = 500;
    private static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(3);

    /**
     * One entry about the person: {@code receipt} carries the opening only for the subject (and not once their key
     * was erased), and no proof ({@code receipt.proof()} null) when no signed checkpoint covered it yet.
     */
    public record Opened(long index, AccessHistory.Role role, Instant at, long partnerId, String partnerName, String outcome,
                         EntryReceipt receipt, AccessEvent event) {}

    /** A signed checkpoint note and the tree size it signs. */
    public record Signed(String note, long size) {}

    private static final String COLUMNS = """
            e.idx, e.at, e.partner_id, p.name as partner_name, e.outcome, e.subject_person, e.leaf_data, e.salt, e.nonce,
            e.ciphertext""";

    private final Jdbi jdbi;
    private final LogIntegrator log;
    private final EventSealer sealer = new EventSealer();

    public EntryOpenings(Jdbi jdbi, LogIntegrator log) {
        this.jdbi = jdbi;
        this.log = log;
    }

    public String origin() {
        return log.signer().name();
    }

    public String verifierKey() {
        return log.signer().verifierKey();
    }

    /**
     * Entry {@code index} if it is about {@code personId} (as subject or co-subject), with a proof to the latest
     * checkpoint (waiting briefly for one to cover a just-written entry); empty for any other index.
     */
    public Optional<Opened> of(long personId, long index) {
        if (index < 0) {
            return Optional.empty();
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + """
                         from access_events e left join partners p on p.id = e.partner_id
                        where e.idx = :i and (e.subject_person = :p
                              or exists (select 1 from access_event_co_subjects c where c.person_id = :p and c.idx = :i))""")
                .bind("i", index).bind("p", personId).map(EntryOpenings::row).findOne());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        byte[] key = keyOf(personId);
        return Optional.of(open(personId, key, row.get(), signedCovering(index + 1)));
    }

    /**
     * Every entry about the person, newest first, each with a proof to {@code signed}; read {@value #PAGE} at a time
     * by keyset on the index, so memory stays bounded however long the history is.
     */
    public void forEach(long personId, Signed signed, Consumer<Opened> sink) {
        byte[] key = keyOf(personId);
        long before = Long.MAX_VALUE;
        while (true) {
            long below = before;
            List<Row> rows = jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + """
                             from access_events e left join partners p on p.id = e.partner_id
                            where e.idx in ((select idx from access_events where subject_person = :p and idx < :b
                                              order by idx desc limit :n)
                                            union
                                            (select idx from access_event_co_subjects where person_id = :p and idx < :b
                                              order by idx desc limit :n))
                            order by e.idx desc limit :n""")
                    .addCustomizer(PlanEachCall.INSTANCE).bind("p", personId).bind("b", below).bind("n", PAGE)
                    .map(EntryOpenings::row).list());
            for (Row r : rows) sink.accept(open(personId, key, r, signed));
            if (rows.size() < PAGE) {
                return;
            }
            before = rows.get(rows.size() - 1).index();
        }
    }

    /** The latest signed checkpoint, after waiting briefly for one that covers every entry integrated so far. */
    public Signed latest() {
        return signedCovering(log.tree().size());
    }

    private Signed signedCovering(long size) {
        try {
            log.awaitCheckpoint(size, CHECKPOINT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String note = log.latestCheckpoint();
        if (note == null) {
            return null;
        }
        try {
            return new Signed(note, Checkpoint.parse(LogAuditor.body(note)).size());
        } catch (InvalidProofException e) {
            throw new IllegalStateException("the log's own checkpoint does not parse", e);
        }
    }

    private Opened open(long personId, byte[] key, Row r, Signed signed) {
        boolean subject = r.subject() == personId;
        byte[] eventBytes = null;
        if (subject && key != null && r.ciphertext() != null) {
            try {
                eventBytes = sealer.openBytes(new SealedEvent(r.leafData(), r.salt(), r.nonce(), r.ciphertext()), key);
            } catch (InvalidProofException e) {
                throw new IllegalStateException("audit entry " + r.index() + " does not match its commitment", e);
            }
        }
        String proof = null;
        String note = null;
        if (signed != null && r.index() < signed.size()) {
            note = signed.note();
            proof = new TlogProof(r.index(), log.tree().inclusionProof(r.index(), signed.size()), note).format();
        }
        EntryReceipt receipt = new EntryReceipt(origin(), r.index(), eventBytes == null ? null : r.salt(), eventBytes,
                r.leafData(), ProofVerifier.leafHash(r.leafData()), proof, note);
        return new Opened(r.index(), subject ? AccessHistory.Role.SUBJECT : AccessHistory.Role.CO_SUBJECT, r.at(),
                r.partnerId(), r.partnerName(), r.outcome(), receipt, eventBytes == null ? null : EventCodec.decode(eventBytes));
    }

    private byte[] keyOf(long personId) {
        return jdbi.withHandle(h -> AccessHistory.personKey(h, personId));
    }

    private record Row(long index, Instant at, long partnerId, String partnerName, String outcome, long subject,
                       byte[] leafData, byte[] salt, byte[] nonce, byte[] ciphertext) {}

    private static Row row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Row(rs.getLong("idx"), rs.getTimestamp("at").toInstant(), rs.getLong("partner_id"),
                rs.getString("partner_name"), rs.getString("outcome"), rs.getLong("subject_person"), rs.getBytes("leaf_data"),
                rs.getBytes("salt"), rs.getBytes("nonce"), rs.getBytes("ciphertext"));
    }
}
