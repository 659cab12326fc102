package custos.server.compliance;

import custos.compliance.PartnerActivity;
import custos.server.policy.ChangeBarrier;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Dormancy's facts in PostgreSQL: a partner's clock starts at its registration, and after a lapse at the first
 * change of the partner row after it (its reinstatement, as the policy feed recorded it). A lapse sets the status
 * DORMANT through the partners row, so the feed carries it to every instance before the call returns.
 */
public final class JdbcPartnerActivity implements PartnerActivity {
    private static final String WATCHED = "compliance.dormancy-watched-since";
    private final Jdbi jdbi;
    private final ChangeBarrier barrier;

    public JdbcPartnerActivity(Jdbi jdbi, ChangeBarrier barrier) {
        this.jdbi = jdbi;
        this.barrier = barrier;
    }

    @Override
    public Map<Long, Instant> clockStarts() {
        Map<Long, Instant> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        select p.id, greatest(p.registered_at,
                               (select min(c.changed_at) from policy_changes c
                                where c.kind = 'partner' and c.partner_id = p.id
                                  and c.changed_at > (select max(l.lapsed_at) from partner_lapses l where l.partner_id = p.id)))
                        from partners p""")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public Optional<Instant> watchedSince() {
        return jdbi.withHandle(h -> h.createQuery("select value from custos_meta where key = :k").bind("k", WATCHED)
                .mapTo(String.class).findOne().map(Instant::parse));
    }

    @Override
    public void startWatching(Instant at) {
        jdbi.useHandle(h -> h.createUpdate("insert into custos_meta (key, value) values (:k, :v) on conflict (key) do nothing")
                .bind("k", WATCHED).bind("v", at.toString()).execute());
    }

    @Override
    public void lapse(long partnerId, Instant at, Instant lastUsed) {
        int n = jdbi.inTransaction(h -> {
            int changed = h.createUpdate("update partners set status = 'DORMANT' where id = :p and status = 'ACTIVE'")
                    .bind("p", partnerId).execute();
            if (changed == 1) {
                h.createUpdate("insert into partner_lapses (partner_id, lapsed_at, last_used_at) values (:p, :at, :used)")
                        .bind("p", partnerId).bind("at", JdbcRecertificationStore.utc(at))
                        .bind("used", JdbcRecertificationStore.utc(lastUsed)).execute();
            }
            return changed;
        });
        if (n == 1) {
            barrier.awaitEverywhere();
        }
    }
}
