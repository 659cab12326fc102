package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.store.Database;
import custos.server.store.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, the short soak run in CI: 200,000 entries appended through the audit writer with the integrator running
 * as in the server; the live heap after the second 100,000, less the bounded tile cache, is no larger than after the
 * first beyond a small allowance (the tree held every node before: about 87 bytes an entry, 8.7 MB a half). The full
 * soak (10 million entries) is {@code custos.bench.LogSoak} (BENCHMARKS.md).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LogMemorySoakTest {
    static final long HALF = 100_000;
    /** 10 bytes an entry: an eighth of what the tree alone used to grow. */
    static final long ALLOWED_GROWTH = HALF * 10;

    @Test
    void theLiveHeapStaysFlatWhileTheLogGrows() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config());
             LogIntegrator integrator = new LogIntegrator(db.jdbi(), custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), "custos.local/log"));
             GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), integrator)) {
            append(log, HALF / 10); // warm up: pools, caches of person keys and plans, JIT-compiled code
            assertThat(integrator.awaitCheckpoint(HALF / 10, Duration.ofSeconds(30))).isTrue();
            long before = LiveHeap.bytes() - integrator.cachedTileBytes();
            append(log, HALF);
            assertThat(integrator.awaitCheckpoint(HALF / 10 + HALF, Duration.ofSeconds(30))).isTrue();
            long middle = LiveHeap.bytes() - integrator.cachedTileBytes();
            append(log, HALF);
            assertThat(integrator.awaitCheckpoint(HALF / 10 + 2 * HALF, Duration.ofSeconds(30))).isTrue();
            long after = LiveHeap.bytes() - integrator.cachedTileBytes();
            System.out.printf("live heap less the tile cache: %,d -> %,d -> %,d B (cache %,d B)%n", before, middle, after, integrator.cachedTileBytes());
            assertThat(integrator.cachedTileBytes()).isLessThanOrEqualTo(StoredTiles.CACHE_BYTES + StoredTiles.INTERIOR_CACHE_BYTES);
            assertThat(after - middle).as("growth over the second %,d entries", HALF).isLessThan(ALLOWED_GROWTH);
        } finally {
            target.cleanup().run();
        }
    }

    /** {@code count} entries from 64 writers, each waiting for its entry to be durable as a request does. */
    static void append(GroupCommitAccessLog log, long count) throws InterruptedException {
        AtomicLong left = new AtomicLong(count);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            writers.add(Thread.ofVirtual().start(() -> {
                while (left.getAndDecrement() > 0) {
                    log.append(LogIntegrityTest.event(1 + left.get() % 7));
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
    }
}
