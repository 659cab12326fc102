package custos.server.compliance;

import custos.compliance.EntryLog;
import custos.compliance.LogRange;
import custos.compliance.LoggedEntry;
import custos.policy.Outcome;
import custos.server.audit.AccessHistory;
import custos.server.store.PlanEachCall;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit log read for compliance: a range's entries in index order, {@value #PAGE} at a time by keyset on the
 * index, each opened with its subject's key (the operator's reading; erased people's events stay closed).
 */
public final class JdbcEntryLog implements EntryLog {
    static final int PAGE = 1000;
    private final Jdbi jdbi;

    public JdbcEntryLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public long count(LogRange range) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from access_events e where " + where(range))
                .bindMap(binds(range, -1)).mapTo(Long.class).one());
    }

    @Override
    public void forEach(LogRange range, Consumer<LoggedEntry> sink) {
        long after = -1;
        while (true) {
            long from = after;
            List<LoggedEntry> page = jdbi.withHandle(h -> h.createQuery("""
                            select e.idx, e.at, e.partner_id, e.outcome, e.subject_person, e.leaf_data, e.salt, e.nonce,
                                   e.ciphertext, k.wrapped_key
                            from access_events e left join person_keys k on k.person_id = e.subject_person
                            where e.idx > :after""" + " and " + where(range) + " order by e.idx limit " + PAGE)
                    .addCustomizer(PlanEachCall.INSTANCE).bindMap(binds(range, from))
                    .map((rs, ctx) -> new LoggedEntry(rs.getLong("idx"), rs.getTimestamp("at").toInstant(),
                            rs.getLong("partner_id"), Outcome.valueOf(rs.getString("outcome")),
                            AccessHistory.open(rs, AccessHistory.subjectKey(rs, ctx))))
                    .list());
            page.forEach(sink);
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).index();
        }
    }

    /** The index the next entry will get: a run that appends notes it before and after to read exactly its own. */
    public long nextIndex() {
        return jdbi.withHandle(h -> h.createQuery("select next_idx from audit_log_head").mapTo(Long.class).one());
    }

    @Override
    public Optional<Instant> firstEntryAt() {
        return jdbi.withHandle(h -> h.createQuery("select at from access_events order by idx limit 1")
                .mapTo(Timestamp.class).findOne().map(Timestamp::toInstant));
    }

    @Override
    public Map<Long, Instant> lastAllowed(Instant until) {
        Map<Long, Instant> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        select partner_id, max(at) from access_events where outcome = 'ALLOW' and at <= :until
                        group by partner_id""")
                .bind("until", OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** Fixed SQL per present bound; the values are bound, never spliced. */
    private static String where(LogRange r) {
        // Access events only: operator actions (entry_kind 16, V60) are entries of the log too, with no outcome.
        StringBuilder sql = new StringBuilder("e.entry_kind is null and e.at >= :from and e.at < :until");
        if (r.partnerId() != null) {
            sql.append(" and e.partner_id = :partner");
        }
        if (r.fromIndex() != null) {
            sql.append(" and e.idx >= :fromIndex");
        }
        if (r.untilIndex() != null) {
            sql.append(" and e.idx < :untilIndex");
        }
        return sql.toString();
    }

    private static Map<String, Object> binds(LogRange r, long after) {
        Map<String, Object> b = new HashMap<>();
        b.put("after", after);
        b.put("from", OffsetDateTime.ofInstant(r.from(), ZoneOffset.UTC));
        b.put("until", OffsetDateTime.ofInstant(r.until(), ZoneOffset.UTC));
        if (r.partnerId() != null) {
            b.put("partner", r.partnerId());
        }
        if (r.fromIndex() != null) {
            b.put("fromIndex", r.fromIndex());
        }
        if (r.untilIndex() != null) {
            b.put("untilIndex", r.untilIndex());
        }
        return b;
    }
}
