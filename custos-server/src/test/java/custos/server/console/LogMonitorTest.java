package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.audit.GroupCommitAccessLog;
import custos.server.audit.LogIntegrator;
import custos.server.store.Database;
import custos.server.store.TestStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's log monitor on a real store: it accepts an honest log growing and proves each checkpoint against the
 * earlier ones it kept; a rewritten entry under a full tile, a rewritten tile, an entry of the tail, a re-signed or
 * forged checkpoint and a rollback (also across a restart of the monitor) each fail a round with a sentence saying
 * what is wrong, counted in the metric and kept in the store.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LogMonitorTest {
    static final String ORIGIN = "custos.local/log";

    /** A fresh store whose log holds {@code rounds} x 300 entries, each round signed; the action runs, the store is dropped. */
    private static void withLog(int rounds, Consumer<Database> test) {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            append(db, rounds);
            test.accept(db);
        } finally {
            target.cleanup().run();
        }
    }

    /** Appends {@code rounds} x 300 entries, waiting for the checkpoint of each round. */
    static void append(Database db, int rounds) {
        custos.audit.CheckpointSigner signer = custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), ORIGIN);
        try (LogIntegrator integrator = new LogIntegrator(db.jdbi(), signer);
             GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), integrator)) {
            long start = entries(db.jdbi());
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < 300; i++) {
                    log.append(event(1 + i % 7));
                }
                assertThat(integrator.awaitCheckpoint(start + round * 300L, Duration.ofSeconds(20))).isTrue();
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static AccessEvent event(long subject) {
        return new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "tunewave", "share-in-messages", "profile:read", subject,
                subject, List.of(), Outcome.ALLOW, List.of(), new DecisionBasis(1, 1, 1, 1, 1, 1), 1, List.of("id"));
    }

    private static long entries(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from access_events").mapTo(Long.class).one());
    }

    private static String key(Database db) {
        return custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), ORIGIN).verifierKey();
    }

    private static LogMonitor monitor(Database db, PrometheusMeterRegistry meters) {
        return new LogMonitor(db.jdbi(), key(db), Clock.systemUTC(), meters);
    }

    private static double failures(PrometheusMeterRegistry meters) {
        return meters.counter("custos.log.monitor.failures").count();
    }

    /** An honest log passes, then {@code tamper} makes the next round fail with {@code reason}, counted and kept. */
    private static void assertCaught(Consumer<Handle> tamper, String reason) {
        withLog(2, db -> {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (LogMonitor monitor = monitor(db, meters)) {
                assertThat(monitor.round().failure()).isNull();
                db.jdbi().useHandle(tamper::accept);
                LogMonitor.State state = monitor.round();
                assertThat(state.ok()).isFalse();
                assertThat(state.failure()).contains(reason).doesNotContain("\n");
                assertThat(monitor.failure()).contains(state.failure());
                assertThat(failures(meters)).isEqualTo(1.0);
                assertThat(monitor.failures(5)).extracting(LogMonitor.Failure::message).containsExactly(state.failure());
                assertThat(meters.scrape()).contains("custos_log_monitor_failures_total 1.0");
            }
        });
    }

    @Test
    void anHonestLogGrowingIsAcceptedAndEachCheckpointIsProvedAgainstTheEarlierOnes() {
        withLog(1, db -> {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (LogMonitor monitor = monitor(db, meters)) {
                LogMonitor.State first = monitor.round();
                assertThat(first.failure()).isNull();
                assertThat(first.size()).isEqualTo(300);
                assertThat(first.swept()).isEqualTo(256);
                append(db, 2);
                LogMonitor.State second = monitor.round();
                assertThat(second.failure()).isNull();
                assertThat(second.size()).isEqualTo(900);
                assertThat(second.earlierChecked()).isGreaterThanOrEqualTo(1);
                assertThat(monitor.seen(10)).extracting(LogMonitor.Seen::size).containsExactly(900L, 300L);
                assertThat(monitor.round().failure()).isNull();
                assertThat(failures(meters)).isZero();
            }
            // A new monitor (a restart) proves the log against every checkpoint kept.
            try (LogMonitor restarted = monitor(db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                LogMonitor.State state = restarted.round();
                assertThat(state.failure()).isNull();
                assertThat(state.earlierChecked()).isEqualTo(3); // the last accepted, then all kept: 300 and 900
            }
        });
    }

    @Test
    void anEntryRewrittenUnderAFullTileIsCaughtByTheSweep() {
        assertCaught(h -> h.execute("update access_events set leaf_data = set_byte(leaf_data, 5, get_byte(leaf_data, 5) # 1),"
                + " leaf_hash = set_byte(leaf_hash, 0, get_byte(leaf_hash, 0) # 1) where idx = 42"), "the stored leaf tile 0/0 differs");
    }

    @Test
    void aRewrittenTileFailsTheSignedRoot() {
        assertCaught(h -> h.execute("update log_tiles set hashes = set_byte(hashes, 40, get_byte(hashes, 40) # 1),"
                + " root = set_byte(root, 0, get_byte(root, 0) # 1) where level = 0 and idx = 1"), "do not hash to the root signed");
    }

    @Test
    void anEntryRewrittenAboveTheLastFullTileFailsTheSignedRoot() {
        assertCaught(h -> h.execute("update access_events set leaf_data = set_byte(leaf_data, 5, get_byte(leaf_data, 5) # 1)"
                + " where idx = 590"), "do not hash to the root signed for size 600");
    }

    @Test
    void aForgedCheckpointIsCaughtByItsSignature() {
        assertCaught(h -> h.execute("update log_checkpoints set note = replace(note, '\n600\n', '\n601\n') where size = 600"),
                "is not signed by the pinned key");
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsAFork() {
        // A whole new log signed with a key of its own: the monitor's pinned key does not change with it.
        withLog(1, db -> {
            try (LogMonitor monitor = monitor(db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                assertThat(monitor.round().failure()).isNull();
            }
            custos.audit.NoteSigner other = custos.audit.NoteSigner.generate(ORIGIN);
            try (LogMonitor resigned = new LogMonitor(db.jdbi(), other.verifierKey(), Clock.systemUTC(),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                assertThat(resigned.round().failure()).contains("not the key").contains("this console pinned");
            }
        });
    }

    @Test
    void aRollbackIsCaughtAlsoAfterTheMonitorRestarts() {
        withLog(2, db -> {
            try (LogMonitor monitor = monitor(db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                assertThat(monitor.round().size()).isEqualTo(600);
            }
            db.jdbi().useHandle(h -> h.execute("delete from log_checkpoints where size > 300"));
            try (LogMonitor restarted = monitor(db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                assertThat(restarted.round().failure()).contains("shrank from 600 to 300");
            }
            db.jdbi().useHandle(h -> h.execute("delete from log_checkpoints"));
            try (LogMonitor restarted = monitor(db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                assertThat(restarted.round().failure()).contains("rolled back");
            }
        });
    }
}
