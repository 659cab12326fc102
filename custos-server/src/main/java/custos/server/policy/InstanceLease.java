package custos.server.policy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * This instance's row in {@code gateway_instances}: how far it has applied the change feed and until when it may
 * decide. The database clock sets {@code lease_until}, so instances need no synchronised clocks among themselves.
 *
 * <p>A lease is only ever extended while it is live and its row still exists. A change call that stops waiting for
 * an instance ({@link ChangeBarrier}) deletes that instance's row first; the instance then has to {@link #enter}
 * again and read the feed once more before it may decide, so a poll that read the feed before the change committed
 * can never renew a lease that the change call already counted as gone.
 */
public final class InstanceLease {
    private final Jdbi jdbi;
    private final String id = UUID.randomUUID().toString();
    private final Duration length;

    public InstanceLease(Jdbi jdbi, Duration length) {
        this.jdbi = jdbi;
        this.length = length;
    }

    public String id() {
        return id;
    }

    Duration length() {
        return length;
    }

    /**
     * Reports the floor and extends a live lease; false when the lease lapsed or the row is gone (never entered, or
     * deleted by a change call), in which case nothing is extended and the caller must {@link #enter} again.
     */
    boolean renew(long appliedFloor) {
        // clock_timestamp(), not now(): the row may be locked by a change call's delete for a while, and the check
        // must hold at the moment the row is written, not when this statement began.
        return jdbi.withHandle(h -> h.createUpdate("""
                        update gateway_instances set applied_floor = :floor,
                               lease_until = clock_timestamp() + make_interval(secs => :secs)
                        where id = :id and lease_until > clock_timestamp()""")
                .bind("id", id).bind("floor", appliedFloor).bind("secs", length.toMillis() / 1000.0).execute()) == 1;
    }

    /**
     * Registers this instance (again) at {@code appliedFloor} with a live lease: from now on every change call waits
     * for it. Entering grants no right to decide; only a {@link #renew} after a fresh read of the feed does.
     */
    void enter(long appliedFloor) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into gateway_instances (id, host, applied_floor, lease_until)
                        values (:id, :host, :floor, clock_timestamp() + make_interval(secs => :secs))
                        on conflict (id) do update set applied_floor = excluded.applied_floor, lease_until = excluded.lease_until""")
                .bind("id", id).bind("host", ManagementFactory.getRuntimeMXBean().getName())
                .bind("floor", appliedFloor).bind("secs", length.toMillis() / 1000.0).execute());
    }

    void release() {
        try {
            jdbi.useHandle(h -> h.createUpdate("delete from gateway_instances where id = :id").bind("id", id).execute());
        } catch (RuntimeException e) {
            // The lease runs out by itself; nobody waits on a dead instance longer than its lease.
        }
    }
}
