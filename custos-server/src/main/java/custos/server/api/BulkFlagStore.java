package custos.server.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The bulk-extraction guard's flags in the store: one row per partner and UTC day, whichever instance saw it first. */
public final class BulkFlagStore {
    /** A stored flag, as the auditors read it. */
    public record StoredFlag(long partnerId, LocalDate day, long dailyVolume, Instant firstRefusedAt, String instance) {}

    private final Jdbi jdbi;
    private final String instance;

    public BulkFlagStore(Jdbi jdbi, String instance) {
        this.jdbi = jdbi;
        this.instance = instance;
    }

    /**
     * Records a flag; true when this call made the partner's row for that day, false when an instance (this one or
     * another) had already flagged it. Counting only the first keeps a metric summed over instances equal to the flags.
     */
    public boolean record(BulkGuard.Flag flag) {
        return 1 == jdbi.withHandle(h -> h.createUpdate("insert into bulk_extraction_flags (partner_id, day, daily_volume, first_refused_at, instance)"
                        + " values (:p, :d, :v, :at, :i) on conflict (partner_id, day) do nothing")
                .bind("p", flag.partnerId()).bind("d", LocalDate.ofInstant(flag.day(), ZoneOffset.UTC)).bind("v", flag.volume())
                .bind("at", flag.at()).bind("i", instance).execute());
    }

    /** Every flag, newest day first. */
    public List<StoredFlag> all() {
        return jdbi.withHandle(h -> h.createQuery("select partner_id, day, daily_volume, first_refused_at, instance"
                        + " from bulk_extraction_flags order by day desc, partner_id")
                .map((rs, ctx) -> new StoredFlag(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5)))
                .list());
    }
}
