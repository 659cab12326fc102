package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.EventSealer;
import custos.audit.InvalidProofException;
import custos.audit.SealedEvent;
import custos.data.DataCategory;
import custos.policy.Outcome;
import custos.server.keys.WrappedKeys;
import custos.server.store.PlanEachCall;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * A person's access history from the audit log: every entry about their data, and every entry that reached them
 * through someone else's consent (as a co-subject). The event itself is readable only with the subject's key; an
 * erased person's entries stay listed (and provable) with no readable content.
 */
public final class AccessHistory {
    /** How the person appears in an entry. */
    public enum Role { SUBJECT, CO_SUBJECT }

    /**
     * One entry of the history. {@code event} is the person's own event (role SUBJECT), null when their key was
     * erased. For a CO_SUBJECT entry it is null and {@code throughFriend} says what of this person's data the access
     * reached through the friend (null when the friend's key was erased). {@code category} is the entry's plain
     * category column (V45), null for a request without a valid scope or an entry written before V45.
     */
    public record Entry(long index, Instant at, long partnerId, String outcome, Role role, AccessEvent event,
                        DataCategory category, ThroughFriend throughFriend) {}

    /**
     * What a co-subject may learn of an entry sealed under the friend's key: whose consent it came through, for
     * which purpose and scope, and which fields. Nothing else of the friend's event (their other friends, counts,
     * reasons) leaves it.
     */
    public record ThroughFriend(long friendId, String purpose, String scope, List<String> fields) {}

    /** What a history page is narrowed to; null components do not narrow. {@code until} is exclusive. */
    public record Filter(Long partnerId, DataCategory category, Outcome outcome, Instant from, Instant until) {
        public static final Filter NONE = new Filter(null, null, null, null, null);
    }

    /**
     * One page, newest first. {@code olderBefore} is the {@code before} of the next older page and
     * {@code newerAfter} the {@code after} of the next newer one; each is null when there is no such page.
     */
    public record Page(List<Entry> entries, Long olderBefore, Long newerAfter) {}

    /** A partner that appears in a person's history. */
    public record Partner(long id, String slug, String name) {}

    /** A day's count of one partner's entries about a person, by outcome; {@code upTo} is the highest index counted. */
    public record DayCount(long partnerId, LocalDate day, long allowed, long denied, long upTo) {}

    private final Jdbi jdbi;
    /** Opening needs no randomness, so one sealer serves every reader. */
    private static final EventSealer SEALER = new EventSealer();

    public AccessHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The newest {@code limit} entries of the person's history, newest first. */
    public List<Entry> of(long personId, int limit) {
        return page(personId, Filter.NONE, null, null, limit).entries();
    }

    /**
     * A page of the person's history: {@code size} entries older than {@code before}, or, with {@code after}, the
     * {@code size} entries just newer than it; neither gives the newest page. Keyset pagination on the entry index:
     * both halves of the history (as subject, as co-subject) are read backwards from the key along their own index
     * and merged, so a page costs its own rows whatever the history's length; a filter the person's entries
     * rarely match costs an index-only scan of their own entries (V45).
     */
    public Page page(long personId, Filter filter, Long before, Long after, int size) {
        boolean newer = after != null;
        long key = newer ? after : before == null ? Long.MAX_VALUE : before;
        String cmp = newer ? ">" : "<";
        String order = newer ? "asc" : "desc";
        String where = filterSql(filter);
        String sql = """
                select e.idx, e.at, e.partner_id, e.outcome, e.subject_person, e.category, e.leaf_data, e.salt, e.nonce,
                       e.ciphertext, k.wrapped_key
                from ((select s.idx from access_events s
                       where s.subject_person = :p and s.idx %1$s :key %2$s order by s.idx %3$s limit :n)
                      union all
                      (select c.idx from access_event_co_subjects c join access_events s on s.idx = c.idx
                       where c.person_id = :p and c.idx %1$s :key %2$s order by c.idx %3$s limit :n)) page
                join access_events e on e.idx = page.idx
                left join person_keys k on k.person_id = e.subject_person
                order by e.idx %3$s limit :n""".formatted(cmp, where, order);
        List<Entry> rows = new ArrayList<>(jdbi.withHandle(h -> bindFilter(h.createQuery(sql), filter)
                .addCustomizer(PlanEachCall.INSTANCE).bind("p", personId).bind("key", key).bind("n", size + 1)
                .map((rs, ctx) -> entry(rs, ctx, personId))
                .list()));
        boolean more = rows.size() > size;
        if (more) {
            rows.remove(rows.size() - 1);
        }
        if (newer) {
            Collections.reverse(rows);
        }
        if (rows.isEmpty()) {
            return new Page(List.of(), null, null);
        }
        long newest = rows.get(0).index();
        long oldest = rows.get(rows.size() - 1).index();
        boolean hasOlder = newer || more;
        boolean hasNewer = newer ? more : before != null;
        return new Page(List.copyOf(rows), hasOlder ? oldest : null, hasNewer ? newest : null);
    }

    /** These partners (e.g. the ones in {@link #daily}), by name. */
    public List<Partner> partners(long[] ids) {
        return jdbi.withHandle(h -> h.createQuery("select id, slug, name from partners where id = any(:ids) order by name, id")
                .bind("ids", ids)
                .map((rs, ctx) -> new Partner(rs.getLong("id"), rs.getString("slug"), rs.getString("name")))
                .list());
    }

    /**
     * The person's entries (as subject and as co-subject) with an index above {@code after} counted per partner and
     * UTC day, each count with the highest index it covers: read along the person's own index entries only (V45), so
     * a caller that keeps the counts up to an index reads only what was appended since.
     */
    public List<DayCount> daily(long personId, long after) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select x.partner_id, (x.at at time zone 'UTC')::date as day,
                               count(*) filter (where x.outcome = 'ALLOW') as allowed,
                               count(*) filter (where x.outcome = 'DENY') as denied, max(x.idx) as up_to
                        from (select s.idx, s.partner_id, s.at, s.outcome from access_events s
                              where s.subject_person = :p and s.idx > :after
                              union all
                              select s.idx, s.partner_id, s.at, s.outcome from access_event_co_subjects c
                              join access_events s on s.idx = c.idx where c.person_id = :p and c.idx > :after) x
                        group by 1, 2 order by 1, 2""")
                .addCustomizer(PlanEachCall.INSTANCE).bind("p", personId).bind("after", after)
                .map((rs, ctx) -> new DayCount(rs.getLong("partner_id"), rs.getObject("day", LocalDate.class),
                        rs.getLong("allowed"), rs.getLong("denied"), rs.getLong("up_to")))
                .list());
    }

    /** Fixed SQL per present filter; the values are bound, never spliced. */
    private static String filterSql(Filter f) {
        StringBuilder sql = new StringBuilder();
        if (f.partnerId() != null) {
            sql.append(" and s.partner_id = :partner");
        }
        if (f.category() != null) {
            sql.append(" and s.category = :category");
        }
        if (f.outcome() != null) {
            sql.append(" and s.outcome = :outcome");
        }
        if (f.from() != null) {
            sql.append(" and s.at >= :from");
        }
        if (f.until() != null) {
            sql.append(" and s.at < :until");
        }
        return sql.toString();
    }

    private static Query bindFilter(Query q, Filter f) {
        if (f.partnerId() != null) {
            q.bind("partner", f.partnerId());
        }
        if (f.category() != null) {
            q.bind("category", EntryCategory.code(f.category()));
        }
        if (f.outcome() != null) {
            q.bind("outcome", f.outcome().name());
        }
        if (f.from() != null) {
            q.bind("from", OffsetDateTime.ofInstant(f.from(), ZoneOffset.UTC));
        }
        if (f.until() != null) {
            q.bind("until", OffsetDateTime.ofInstant(f.until(), ZoneOffset.UTC));
        }
        return q;
    }

    private Entry entry(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx, long personId) throws java.sql.SQLException {
        boolean subject = rs.getLong("subject_person") == personId;
        AccessEvent opened = open(rs, subjectKey(rs, ctx));
        short code = rs.getShort("category");
        DataCategory category = EntryCategory.of(rs.wasNull() ? null : code).orElse(null);
        ThroughFriend friend = subject || opened == null ? null
                : new ThroughFriend(opened.subject(), opened.purpose(), opened.scope(), opened.fields());
        return new Entry(rs.getLong("idx"), rs.getTimestamp("at").toInstant(), rs.getLong("partner_id"),
                rs.getString("outcome"), subject ? Role.SUBJECT : Role.CO_SUBJECT, subject ? opened : null, category,
                friend);
    }

    /**
     * The event of entry {@code index}, opened with its subject's key (the operator's view, e.g. the replay report
     * reading the true reasons of answers a partner saw only as a 404); empty when there is no such entry or its
     * subject's key was erased.
     */
    public java.util.Optional<AccessEvent> event(long index) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select e.idx, e.subject_person, e.leaf_data, e.salt, e.nonce, e.ciphertext, k.wrapped_key
                        from access_events e left join person_keys k on k.person_id = e.subject_person
                        where e.idx = :i""")
                .bind("i", index)
                .map((rs, ctx) -> open(rs, subjectKey(rs, ctx)))
                .findOne());
    }

    /** The person's event key; null once it was erased, or when they have no entry yet. */
    public static byte[] personKey(org.jdbi.v3.core.Handle h, long personId) {
        byte[] wrapped = h.createQuery("select wrapped_key from person_keys where person_id = :p").bind("p", personId)
                .mapTo(byte[].class).findOne().orElse(null);
        return WrappedKeys.unwrap(h, personId, wrapped);
    }

    /**
     * The key of a row's subject (columns subject_person and wrapped_key, from {@code person_keys}), unwrapped with the
     * store's master key; null when erased or never made.
     */
    public static byte[] subjectKey(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return WrappedKeys.unwrap(ctx, rs.getLong("subject_person"), rs.getBytes("wrapped_key"));
    }

    /**
     * The event of a row of {@code access_events} (columns idx, leaf_data, salt, nonce, ciphertext) opened with
     * {@code key}; null when the key was erased or the row has no sealed event. An event that does not match its
     * commitment is a broken log, never skipped.
     */
    public static AccessEvent open(java.sql.ResultSet rs, byte[] key) throws java.sql.SQLException {
        byte[] ciphertext = rs.getBytes("ciphertext");
        if (key == null || ciphertext == null) {
            return null;
        }
        try {
            return SEALER.open(new SealedEvent(rs.getBytes("leaf_data"), rs.getBytes("salt"), rs.getBytes("nonce"),
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
                            insert into person_keys (person_id, wrapped_key, destroyed_at) values (:p, null, now())
                            on conflict (person_id) do update set wrapped_key = null, destroyed_at = coalesce(person_keys.destroyed_at, now())""")
                    .bind("p", personId).execute();
            h.createUpdate("insert into policy_changes (kind, ref_id, person_id) values (:kind, :p, :p)")
                    .bind("kind", PersonKeys.ERASED_KIND).bind("p", personId).execute();
        });
    }
}
