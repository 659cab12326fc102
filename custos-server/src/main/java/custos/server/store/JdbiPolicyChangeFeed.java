package custos.server.store;

import static custos.server.store.JdbiPartnerStore.instant;

import custos.policy.PolicyChange;
import custos.policy.PolicyChangeFeed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads the {@code policy_changes} table, which the schema's triggers fill on every policy-relevant write. The
 * table only grows and every instance polls it 20 times a second, so both reads are planned on each call
 * ({@link PlanEachCall}): a plan kept from when the table was small would scan all of it on every poll.
 */
public final class JdbiPolicyChangeFeed implements PolicyChangeFeed {
    private static final String SELECT = "select seq, kind, ref_id, person_id, partner_id, changed_at from policy_changes";

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
        return jdbi.withHandle(h -> h.createQuery(SELECT + " where seq > :s order by seq limit :n")
                .addCustomizer(PlanEachCall.INSTANCE).bind("s", afterSeq).bind("n", limit)
                .map(JdbiPolicyChangeFeed::change).list());
    }

    @Override
    public List<PolicyChange> only(Collection<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(SELECT + " where seq = any(:seqs) order by seq")
                .bind("seqs", seqs.toArray(Long[]::new)).map(JdbiPolicyChangeFeed::change).list());
    }

    private static PolicyChange change(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PolicyChange(rs.getLong(1), rs.getString(2), rs.getLong(3), (Long) rs.getObject(4), (Long) rs.getObject(5),
                instant(rs, 6));
    }
}
