package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.EventSealer;
import custos.audit.InvalidProofException;
import custos.audit.SealedEvent;
import custos.server.store.PlanEachCall;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A person's access history from the audit log: every entry about their data, and every entry that reached them
 * through someone else's consent (as a co-subject). The event itself is readable only with the subject's key; an
 * erased person's entries stay listed (and provable) with no readable content.
 */
public final class AccessHistory {
    /** How the person appears in an entry. */
    public enum Role { SUBJECT, CO_SUBJECT }

    /** One entry of the history; {@code event} is null when it cannot be read with this person's key. */
    public record Entry(long index, Instant at, long partnerId, String outcome, Role role, AccessEvent event) {}

    private final Jdbi jdbi;
    private final EventSealer sealer = new EventSealer();

    public AccessHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The newest {@code limit} entries of the person's history, newest first. */
    public List<Entry> of(long personId, int limit) {
        byte[] key = keyOf(personId);
        return jdbi.withHandle(h -> h.createQuery("""
                        select e.idx, e.at, e.partner_id, e.outcome, e.subject_person, e.leaf_data, e.salt, e.nonce, e.ciphertext
                        from access_events e
                        where e.subject_person = :p
                           or e.idx in (select idx from access_event_co_subjects where person_id = :p)
                        order by e.idx desc limit :n""")
                .addCustomizer(PlanEachCall.INSTANCE).bind("p", personId).bind("n", limit)
                .map((rs, ctx) -> {
                    boolean subject = rs.getLong("subject_person") == personId;
                    AccessEvent event = subject ? open(rs, key) : null;
                    return new Entry(rs.getLong("idx"), rs.getTimestamp("at").toInstant(), rs.getLong("partner_id"),
                            rs.getString("outcome"), subject ? Role.SUBJECT : Role.CO_SUBJECT, event);
                })
                .list());
    }

    /**
     * The event of entry {@code index}, opened with its subject's key (the operator's view, e.g. the replay report
     * reading the true reasons of answers a partner saw only as a 404); empty when there is no such entry or its
     * subject's key was erased.
     */
    public java.util.Optional<AccessEvent> event(long index) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select e.idx, e.leaf_data, e.salt, e.nonce, e.ciphertext, k.aes_key
                        from access_events e left join person_keys k on k.person_id = e.subject_person
                        where e.idx = :i""")
                .bind("i", index)
                .map((rs, ctx) -> open(rs, rs.getBytes("aes_key")))
                .findOne());
    }

    private byte[] keyOf(long personId) {
        return jdbi.withHandle(h -> h.createQuery("select aes_key from person_keys where person_id = :p")
                .bind("p", personId).mapTo(byte[].class).findOne().orElse(null));
    }

    /** The event of the row's entry opened with {@code key}; null when the key was erased or the row has no sealed event. */
    private AccessEvent open(java.sql.ResultSet rs, byte[] key) throws java.sql.SQLException {
        byte[] ciphertext = rs.getBytes("ciphertext");
        if (key == null || ciphertext == null) {
            return null;
        }
        try {
            return sealer.open(new SealedEvent(rs.getBytes("leaf_data"), rs.getBytes("salt"), rs.getBytes("nonce"),
                    ciphertext), key);
        } catch (InvalidProofException e) {
            throw new IllegalStateException("audit entry " + rs.getLong("idx") + " does not match its commitment", e);
        }
    }

    /**
     * Crypto-shredding: destroys the person's key, so none of their events can be read again. Proofs are untouched.
     * The feed entry written in the same transaction makes every instance's audit writer drop its cached copy.
     */
    public void erase(long personId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            insert into person_keys (person_id, aes_key, destroyed_at) values (:p, null, now())
                            on conflict (person_id) do update set aes_key = null, destroyed_at = coalesce(person_keys.destroyed_at, now())""")
                    .bind("p", personId).execute();
            h.createUpdate("insert into policy_changes (kind, ref_id, person_id) values (:kind, :p, :p)")
                    .bind("kind", PersonKeys.ERASED_KIND).bind("p", personId).execute();
        });
    }
}
