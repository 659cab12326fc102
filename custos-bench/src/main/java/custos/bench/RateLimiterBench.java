package custos.bench;

import custos.server.limits.SharedRateLimiter;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What counting a partner's rate across instances costs per request: the gateway's {@link SharedRateLimiter} (the
 * partner's bucket in PostgreSQL, synchronised every 50 ms, plus the token's bucket in memory) against the same two
 * buckets both in memory, as one instance alone could count them. Rates are far above what the threads can ask for,
 * so nothing is refused and each call is one admitted request. The store is {@code CUSTOS_DB_URL} when set, else the
 * PostgreSQL server at 127.0.0.1:5432, in a throw-away database.
 */
@Fork(1)
@Threads(4)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RateLimiterBench {
    static final double UNLIMITED = 1e9;

    /** The shared limiter on a scratch database, and two in-memory buckets for comparison. */
    @State(Scope.Benchmark)
    public static class Limiters {
        Database db;
        SharedRateLimiter shared;
        Bucket partnerInMemory;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            String url = System.getenv().getOrDefault("CUSTOS_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
            db = Database.scratch(DbConfig.external(url, "postgres", null), "custos_ratebench");
            shared = new SharedRateLimiter(db.quickDataSource(), UNLIMITED, UNLIMITED);
            partnerInMemory = Bucket.builder().addLimit(l -> l.capacity((long) UNLIMITED)
                    .refillGreedy((long) UNLIMITED, Duration.ofSeconds(1))).build();
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    /** One token per benchmark thread, as one partner's several tokens. */
    @State(Scope.Thread)
    public static class Caller {
        String token;
        Bucket tokenInMemory;

        @Setup(Level.Trial)
        public void token(Limiters limiters) {
            token = "bench-token-" + limiters.threads.incrementAndGet();
            tokenInMemory = Bucket.builder().addLimit(l -> l.capacity((long) UNLIMITED)
                    .refillGreedy((long) UNLIMITED, Duration.ofSeconds(1))).build();
        }
    }

    @Benchmark
    public boolean sharedThroughTheStore(Limiters limiters, Caller caller) {
        return limiters.shared.tryAcquire(1, caller.token, System.nanoTime());
    }

    @Benchmark
    public boolean bothInMemory(Limiters limiters, Caller caller) {
        return caller.tokenInMemory.tryConsume(1) & limiters.partnerInMemory.tryConsume(1);
    }
}
