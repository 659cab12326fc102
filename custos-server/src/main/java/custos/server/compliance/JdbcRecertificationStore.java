package custos.server.compliance;

import custos.compliance.RecertificationStore;
import custos.server.policy.ChangeBarrier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Recertifications, notices and suspensions in PostgreSQL (V70). A suspension or recertification updates the
 * agreement row (its version grows), so the feed's trigger carries it to every instance, and the call returns only
 * when the change barrier says every instance applied it.
 */
public final class JdbcRecertificationStore implements RecertificationStore {
    private final Jdbi jdbi;
    private final ChangeBarrier barrier;

    public JdbcRecertificationStore(Jdbi jdbi, ChangeBarrier barrier) {
        this.jdbi = jdbi;
        this.barrier = barrier;
    }

    @Override
    public Map<Long, Instant> notices() {
        Map<Long, Instant> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select agreement_id, noticed_at from recertification_notices")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public void notice(long agreementId, LocalDate due, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into recertification_notices (agreement_id, due, noticed_at) values (:a, :due, :at)
                        on conflict (agreement_id) do nothing""")
                .bind("a", agreementId).bind("due", due).bind("at", utc(at)).execute());
    }

    @Override
    public void suspend(long agreementId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        update agreements set recertification_suspended_at = :at, version = version + 1
                        where id = :a and recertification_suspended_at is null""")
                .bind("a", agreementId).bind("at", utc(at)).execute());
        barrier.awaitEverywhere();
    }

    @Override
    public void recertify(long agreementId, Instant at, String actor, String note, int everyDays, LocalDate nextDue) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("""
                            update agreements set next_recertification = :due, recertify_every_days = :every,
                                   recertification_suspended_at = null, version = version + 1
                            where id = :a""")
                    .bind("a", agreementId).bind("due", nextDue).bind("every", everyDays).execute();
            if (n == 0) {
                throw new IllegalArgumentException("no agreement with id " + agreementId);
            }
            h.createUpdate("""
                            insert into agreement_recertifications (agreement_id, recertified_at, actor, note, next_due)
                            values (:a, :at, :actor, :note, :due)""")
                    .bind("a", agreementId).bind("at", utc(at)).bind("actor", actor).bind("note", note)
                    .bind("due", nextDue).execute();
            h.createUpdate("delete from recertification_notices where agreement_id = :a").bind("a", agreementId).execute();
        });
        barrier.awaitEverywhere();
    }

    static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
