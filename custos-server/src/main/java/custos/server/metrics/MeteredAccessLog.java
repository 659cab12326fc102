package custos.server.metrics;

import custos.audit.AccessEvent;
import custos.audit.AccessLog;
import custos.audit.LogReceipt;
import custos.server.audit.GroupCommitAccessLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audit log as the gate writes it, counted: every decision by partner, outcome and first reason (the partner is a
 * registered partner's id, so the set is the registry's; reasons and outcomes are enums), and the durable append's
 * latency as a histogram. Batches are measured where they are committed ({@link #batches}).
 */
public final class MeteredAccessLog implements AccessLog {
    private static final Duration[] APPEND_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofSeconds(1), Duration.ofSeconds(10)};

    private final AccessLog log;
    private final MeterRegistry meters;
    private final Timer append;
    private final ConcurrentHashMap<String, Counter> decisions = new ConcurrentHashMap<>();

    private MeteredAccessLog(AccessLog log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
        this.append = Timer.builder("custos.audit.append")
                .description("Time from a decision's entry handed to the audit log until it is durable (group commit included)")
                .serviceLevelObjectives(APPEND_BUCKETS)
                .register(meters);
    }

    public static AccessLog of(AccessLog log, MeterRegistry meters) {
        return new MeteredAccessLog(log, meters);
    }

    @Override
    public LogReceipt append(AccessEvent event) {
        long start = System.nanoTime();
        LogReceipt receipt = log.append(event);
        append.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        String reason = event.reasons().isEmpty() ? "none" : event.reasons().get(0);
        String outcome = event.outcome().name();
        decisions.computeIfAbsent(event.partnerId() + "/" + outcome + "/" + reason, k -> Counter.builder("custos.decisions")
                        .description("Partner requests decided and logged, by partner id, outcome and first reason")
                        .tags("partner", Long.toString(event.partnerId()), "outcome", outcome, "reason", reason)
                        .register(meters))
                .increment();
        return receipt;
    }

    /** The committed batches of {@code next}'s log, measured by their number of entries. */
    public static GroupCommitAccessLog.Committed batches(GroupCommitAccessLog.Committed next, MeterRegistry meters) {
        DistributionSummary size = DistributionSummary.builder("custos.audit.batch.entries")
                .description("Entries per durable audit batch (one commit each)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4000)
                .register(meters);
        return new GroupCommitAccessLog.Committed() {
            @Override
            public void committed(long firstIndex, List<byte[]> leafHashes) {
                size.record(leafHashes.size());
                next.committed(firstIndex, leafHashes);
            }

            @Override
            public Optional<custos.server.audit.LogIntegrityException> failure() {
                return next.failure();
            }
        };
    }
}
