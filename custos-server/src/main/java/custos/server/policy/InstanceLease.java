package custos.server.policy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * This instance's row in {@code gateway_instances}: how far it has applied the change feed and until when it may
 * decide. The database clock sets {@code lease_until}, so instances need no synchronised clocks among themselves.
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

    /** Reports the floor and extends the lease; returns the length granted. */
    Duration renew(long appliedFloor) {
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into gateway_instances (id, host, applied_floor, lease_until)
                        values (:id, :host, :floor, now() + make_interval(secs => :secs))
                        on conflict (id) do update set applied_floor = excluded.applied_floor, lease_until = excluded.lease_until""")
                .bind("id", id).bind("host", ManagementFactory.getRuntimeMXBean().getName())
                .bind("floor", appliedFloor).bind("secs", length.toMillis() / 1000.0).execute());
        return length;
    }

    void release() {
        try {
            jdbi.useHandle(h -> h.createUpdate("delete from gateway_instances where id = :id").bind("id", id).execute());
        } catch (RuntimeException e) {
            // The lease runs out by itself; nobody waits on a dead instance longer than its lease.
        }
    }
}
