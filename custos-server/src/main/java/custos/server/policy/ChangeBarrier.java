package custos.server.policy;

import custos.policy.PolicyChangeFeed;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Makes a policy change effective everywhere before the call that made it returns: after the change commits, wait
 * until every instance holding a live lease has applied the feed up to it (invariant 4).
 *
 * <p>Each check runs in one transaction: it first deletes the rows of instances whose lease has lapsed, then counts
 * the remaining instances that are behind. An instance the count leaves out can therefore only come back through
 * {@link InstanceLease#enter} and a fresh read of the feed, which sees the change. An instance that is still behind
 * after {@link PolicyFollower#GAP_GIVE_UP} (stuck behind a gap, or too slow) is fenced the same way: its row is
 * deleted, and the barrier waits until the lease that instance last held has run out, after which it refuses to
 * decide until it has caught up. The worst case is therefore the gap give-up plus one lease length (3 s + 2 s).
 */
public final class ChangeBarrier {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChangeBarrier.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(5);

    private final Jdbi jdbi;
    private final PolicyChangeFeed feed;
    private final Duration catchUpFor;

    /** What a barrier found: the feed position it waited for, how long it took, how many instances it fenced out. */
    public record Passed(long seq, Duration waited, int fenced) {}

    public ChangeBarrier(Jdbi jdbi, PolicyChangeFeed feed) {
        this(jdbi, feed, PolicyFollower.GAP_GIVE_UP);
    }

    /**
     * {@code catchUpFor}: how long lagging instances get to catch up before they are fenced out. Any length is safe
     * (a fenced instance stops deciding); shorter than the gap give-up fences instances that would have caught up.
     */
    public ChangeBarrier(Jdbi jdbi, PolicyChangeFeed feed, Duration catchUpFor) {
        this.jdbi = jdbi;
        this.feed = feed;
        this.catchUpFor = catchUpFor;
    }

    /**
     * Waits until every live instance has applied everything committed so far, or has been fenced out and can no
     * longer decide. Throws if interrupted or if the store cannot be reached: the change has committed, but the
     * caller cannot be told it is effective everywhere.
     */
    public Passed awaitEverywhere() {
        long target = feed.latest();
        long started = System.nanoTime();
        long fenceAt = started + catchUpFor.toNanos();
        while (true) {
            int behind = jdbi.inTransaction(h -> {
                h.createUpdate("delete from gateway_instances where lease_until <= now()").execute();
                return h.createQuery("select count(*) from gateway_instances where applied_floor < :seq")
                        .bind("seq", target).mapTo(Integer.class).one();
            });
            if (behind == 0) {
                return new Passed(target, Duration.ofNanos(System.nanoTime() - started), 0);
            }
            if (System.nanoTime() >= fenceAt) {
                return fence(target, started);
            }
            sleep(CHECK_EVERY.toMillis(), target);
        }
    }

    private Passed fence(long target, long started) {
        List<Double> remaining = jdbi.withHandle(h -> h.createQuery("""
                        delete from gateway_instances where applied_floor < :seq
                        returning greatest(0, extract(epoch from lease_until - clock_timestamp()))::float8""")
                .bind("seq", target).mapTo(Double.class).list());
        if (remaining.isEmpty()) {
            return new Passed(target, Duration.ofNanos(System.nanoTime() - started), 0); // caught up meanwhile
        }
        double longest = remaining.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        LOG.warn(remaining.size() + " gateway instance(s) had not applied policy change " + target + " after "
                + catchUpFor.toMillis() + " ms; fenced out, waiting " + Math.round(longest * 1000)
                + " ms for their leases to run out");
        // Their local deadline ends before the lease_until they last wrote, so once that has passed they refuse.
        sleep((long) Math.ceil(longest * 1000), target);
        return new Passed(target, Duration.ofNanos(System.nanoTime() - started), remaining.size());
    }

    private static void sleep(long millis, long target) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for every instance to apply policy change " + target, e);
        }
    }
}
