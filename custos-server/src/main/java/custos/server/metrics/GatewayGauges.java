package custos.server.metrics;

import com.zaxxer.hikari.HikariDataSource;
import custos.policy.PolicyChangeFeed;
import custos.server.audit.LogIntegrator;
import custos.server.policy.PolicyFollower;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;

/**
 * The gauges an operator alerts on, read when Prometheus scrapes: the log's size, checkpoint age and integrity, this
 * instance's right to decide and how many policy changes it is behind, the connection pool, the JVM and the process.
 * Returned for closing: the GC binder listens to the JVM until closed.
 */
public final class GatewayGauges implements AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private GatewayGauges() {}

    public static GatewayGauges bind(MeterRegistry meters, DataSource dataSource, LogIntegrator log, PolicyFollower follower,
                                     PolicyChangeFeed feed) {
        GatewayGauges gauges = new GatewayGauges();
        new JvmMemoryMetrics().bindTo(meters);
        gauges.gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        // HikariCP's own Micrometer metrics (hikaricp_connections_*); a pool takes a registry once.
        if (dataSource instanceof HikariDataSource hikari && hikari.getMetricRegistry() == null) {
            hikari.setMetricRegistry(meters);
        }
        gauge(meters, "custos.log.entries", "Entries in the audit log's tree on this instance", log, l -> l.tree().size());
        gauge(meters, "custos.log.checkpoint.age", "Seconds since this instance last signed a checkpoint", log,
                l -> l.checkpointAge().toMillis() / 1000.0, "seconds");
        gauge(meters, "custos.log.unsigned.entries", "Entries integrated on this instance and not yet under a signed checkpoint",
                log, l -> Math.max(0, l.tree().size() - Math.max(0, l.signedSize())));
        gauge(meters, "custos.log.healthy", "1 while the audit log passes its integrity checks, 0 once it failed them", log,
                l -> l.failure().isPresent() ? 0 : 1);
        gauge(meters, "custos.policy.may.decide", "1 while this instance holds its lease and may decide, else 0", follower,
                f -> f.mayDecide() ? 1 : 0);
        gauge(meters, "custos.policy.applied.change", "The policy change sequence this instance has applied up to", follower,
                PolicyFollower::floor);
        gauge(meters, "custos.policy.changes.behind", "Policy changes committed in the store and not yet applied here", follower,
                f -> behind(feed, f));
        return gauges;
    }

    private static double behind(PolicyChangeFeed feed, PolicyFollower follower) {
        try {
            return Math.max(0, feed.latest() - follower.floor());
        } catch (RuntimeException storeDown) {
            return Double.NaN; // the store's own health says why; a scrape must not fail or log for it
        }
    }

    private static <T> void gauge(MeterRegistry meters, String name, String help, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(help).strongReference(true).register(meters);
    }

    private static <T> void gauge(MeterRegistry meters, String name, String help, T source, ToDoubleFunction<T> value,
                                  String unit) {
        Gauge.builder(name, source, value).description(help).baseUnit(unit).strongReference(true).register(meters);
    }

    @Override
    public void close() {
        gc.close();
    }
}
