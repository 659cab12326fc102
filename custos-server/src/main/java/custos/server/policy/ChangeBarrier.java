package custos.server.policy;

import custos.policy.PolicyChangeFeed;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * Makes a policy change effective everywhere before the call that made it returns: after the change commits, wait
 * until every instance holding a live lease has applied the feed up to it. An instance that cannot catch up stops
 * renewing its lease and refuses to decide once it lapses, so waiting at most one lease length is enough.
 */
public final class ChangeBarrier {
    private final Jdbi jdbi;
    private final PolicyChangeFeed feed;
    private final Duration leaseLength;

    public ChangeBarrier(Jdbi jdbi, PolicyChangeFeed feed, Duration leaseLength) {
        this.jdbi = jdbi;
        this.feed = feed;
        this.leaseLength = leaseLength;
    }

    /** Waits until every live instance has applied everything committed so far. */
    public void awaitEverywhere() {
        long target = feed.latest();
        long deadline = System.nanoTime() + leaseLength.toNanos() + PolicyFollower.GAP_GIVE_UP.toNanos();
        while (System.nanoTime() < deadline) {
            int behind = jdbi.withHandle(h -> h.createQuery(
                            "select count(*) from gateway_instances where lease_until > now() and applied_floor < :seq")
                    .bind("seq", target).mapTo(Integer.class).one());
            if (behind == 0) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // Whoever is still behind has let its lease lapse by now and refuses to decide until it catches up.
    }
}
