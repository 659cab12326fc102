package custos.server.limits;

import java.time.LocalDate;
import org.jdbi.v3.core.Jdbi;

/**
 * The distinct people each partner reached per UTC day, counted in the store so that every instance counts against
 * the same daily volume. One short transaction per person an instance has not yet seen reached that day; the
 * partner's day row is locked while it runs, so two instances never both take the last place.
 */
public final class DailyReach {
    private final Jdbi jdbi;

    public DailyReach(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Counts {@code person} for the partner on {@code day} unless that would exceed {@code volume}: true when the
     * person is counted (now, or already by any instance), false when the partner is at its volume.
     */
    public boolean reach(long partnerId, LocalDate day, long person, long volume) {
        return jdbi.inTransaction(h -> {
            // Creates or locks the partner's day row: the count below cannot change under this transaction.
            long reached = h.createQuery("insert into bulk_daily_volume (partner_id, day, reached) values (:p, :d, 0)"
                            + " on conflict (partner_id, day) do update set reached = bulk_daily_volume.reached returning reached")
                    .bind("p", partnerId).bind("d", day).mapTo(Long.class).one();
            if (reached == 0) {
                // A partner's first person of the day: its earlier days are no longer needed.
                h.createUpdate("delete from bulk_reached_people where partner_id = :p and day < :d")
                        .bind("p", partnerId).bind("d", day).execute();
                h.createUpdate("delete from bulk_daily_volume where partner_id = :p and day < :d")
                        .bind("p", partnerId).bind("d", day).execute();
            }
            boolean known = h.createQuery("select exists (select 1 from bulk_reached_people"
                            + " where partner_id = :p and day = :d and person_id = :person)")
                    .bind("p", partnerId).bind("d", day).bind("person", person).mapTo(Boolean.class).one();
            if (known) {
                return true;
            }
            if (reached >= volume) {
                return false;
            }
            h.createUpdate("insert into bulk_reached_people (partner_id, day, person_id) values (:p, :d, :person)")
                    .bind("p", partnerId).bind("d", day).bind("person", person).execute();
            h.createUpdate("update bulk_daily_volume set reached = reached + 1 where partner_id = :p and day = :d")
                    .bind("p", partnerId).bind("d", day).execute();
            return true;
        });
    }

    /** How many distinct people the partner reached on {@code day}, across every instance. */
    public long reached(long partnerId, LocalDate day) {
        return jdbi.withHandle(h -> h.createQuery("select coalesce((select reached from bulk_daily_volume"
                        + " where partner_id = :p and day = :d), 0)")
                .bind("p", partnerId).bind("d", day).mapTo(Long.class).one());
    }
}
