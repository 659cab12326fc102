package custos.server.store;

import static custos.server.store.JdbiPartnerStore.instant;

import custos.policy.PolicyChange;
import custos.policy.PolicyChangeFeed;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the {@code policy_changes} table, which the schema's triggers fill on every policy-relevant write. The
 * table only grows and every instance polls it 20 times a second, so both reads are planned on each call
 * ({@link PlanEachCall}): a plan kept from when the table was small would scan all of it on every poll.
 */
public final class JdbiPolicyChangeFeed implements PolicyChangeFeed {
    private final Jdbi jdbi;

    public JdbiPolicyChangeFeed(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public long latest() {
        return jdbi.withHandle(h -> h.createQuery("select coalesce(max(seq), 0) from policy_changes")
                .addCustomizer(PlanEachCall.INSTANCE).mapTo(Long.class).one());
    }

    @Override
    public List<PolicyChange> after(long afterSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select seq, kind, ref_id, person_id, partner_id, changed_at from policy_changes"
                        + " where seq > :s order by seq limit :n")
                .addCustomizer(PlanEachCall.INSTANCE).bind("s", afterSeq).bind("n", limit)
                .map((rs, ctx) -> new PolicyChange(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        (Long) rs.getObject(4), (Long) rs.getObject(5), instant(rs, 6)))
                .list());
    }
}
