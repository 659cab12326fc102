package custos.server.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;

/**
 * The periodic sweep of a running gateway: notices and suspends overdue recertifications, lapses dormant partners.
 * Every instance may run it; each change is conditional on the state it changes (a notice is given once, a
 * suspension and a lapse apply to an agreement or partner not yet suspended or lapsed), so two sweeps agree.
 */
public final class ComplianceSweep {
    private static final Logger LOG = Logger.getLogger(ComplianceSweep.class.getName());
    /** How often a gateway sweeps: the lapse and the suspension are due at a day's grain, an hour is plenty. */
    public static final Duration EVERY = Duration.ofHours(1);
    private static final Duration FIRST_AFTER = Duration.ofSeconds(10);

    private ComplianceSweep() {}

    /** Sweeps {@link #FIRST_AFTER} after start, then every {@link #EVERY}, on a daemon thread, until interrupted. */
    public static Thread start(Jdbi jdbi) {
        return Thread.ofVirtual().name("custos-compliance-sweep").start(() -> {
            Duration wait = FIRST_AFTER;
            while (true) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                wait = EVERY;
                try {
                    Compliance.Swept s = new Compliance(jdbi).sweep(Instant.now());
                    if (s.noticed() + s.suspended() + s.lapsed().size() > 0) {
                        LOG.info("compliance sweep: " + s.noticed() + " recertifications noticed, " + s.suspended()
                                + " agreements suspended, partners lapsed " + s.lapsed());
                    }
                } catch (RuntimeException e) {
                    // The store may be down or closing; the next sweep tries again, and nothing half-done is left.
                    LOG.log(Level.WARNING, "compliance sweep failed: " + e.getMessage());
                }
            }
        });
    }
}
