package custos.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import custos.policy.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The partner API's rate limits with Bucket4j: each partner's rate is one bucket in the store ({@code rate_buckets}),
 * shared by every instance; each token's rate is a bucket in this instance's memory, in a bounded Caffeine cache.
 *
 * <p>A store round trip per request would halve the gateway's throughput, so the partner buckets use Bucket4j's
 * delaying optimization: an instance consumes from its last copy of the shared bucket and writes what it consumed
 * back (and reads what the others did) every {@link #SYNC_PERIOD} or every {@code rate × SYNC_PERIOD} requests,
 * whichever comes first. The cost is accuracy: N instances can together admit up to about N times one sync
 * period's worth of requests more than the rate before the shared bucket says no (docs/operations.md).
 *
 * <p>Buckets use Bucket4j's own clocks (the wall clock for the shared ones, which every instance must agree on), not
 * the {@code nowNanos} the engine passes.
 */
public final class SharedRateLimiter implements RateLimiter {
    /** How stale an instance's copy of a partner's shared bucket may get. */
    public static final Duration SYNC_PERIOD = Duration.ofMillis(50);
    /** Token buckets kept at most; the least used idle ones go first, one at a time, never all at once. */
    static final long MAX_TOKEN_BUCKETS = 200_000;

    /** A bucket and when its last refusal said a request would fit again (for {@code Retry-After}). */
    private static final class Limited {
        final Bucket bucket;
        volatile long fitsAgainAtNanos;

        Limited(Bucket bucket) {
            this.bucket = bucket;
        }

        boolean take() {
            ConsumptionProbe probe = null;
            for (int attempt = 1; probe == null; attempt++) {
                try {
                    probe = bucket.tryConsumeAndReturnRemaining(1);
                } catch (RuntimeException e) {
                    if (attempt < 3 && causedBy(e, io.github.bucket4j.distributed.proxy.BucketNotFoundException.class)) {
                        continue; // another instance's first use raced this one's; the row exists now
                    }
                    rethrowAsStoreFailure(e);
                }
            }
            if (!probe.isConsumed()) {
                fitsAgainAtNanos = System.nanoTime() + probe.getNanosToWaitForRefill();
            }
            return probe.isConsumed();
        }

        /**
         * The shared bucket's store failed (it is the gateway's store): a 503 to retry, like every store failure met
         * mid-request, not a 500. Bucket4j wraps the driver's exception, and a pooled connection closed under it
         * carries no connection-failure state, so say it here. Anything else is rethrown as it is.
         */
        static void rethrowAsStoreFailure(RuntimeException e) {
            if (!causedBy(e, java.sql.SQLException.class)) {
                throw e;
            }
            throw new IllegalStateException("the rate limiter could not reach the store: " + e.getMessage(),
                    new java.sql.SQLTransientConnectionException(e.getMessage(), "08006", e));
        }

        /** Bucket4j wraps what failed once or twice (batch, execution): look down the chain. */
        private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (kind.isInstance(t)) {
                    return true;
                }
            }
            return false;
        }

        long waitNanos(long now) {
            return Math.max(0, fitsAgainAtNanos - now);
        }
    }

    private final ProxyManager<String> store;
    private final BucketConfiguration partnerLimit;
    private final BucketConfiguration tokenLimit;
    private final DelayParameters delay;
    private final String partnerKeySuffix;
    private final Cache<Long, Limited> partners;
    private final Cache<String, Limited> tokens;

    /** Rates per second; each bucket's burst is one second of its rate. */
    public SharedRateLimiter(DataSource dataSource, double partnerPerSecond, double tokenPerSecond) {
        this.store = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_buckets").idColumn("id").stateColumn("state")
                .build();
        this.partnerLimit = perSecond(partnerPerSecond);
        this.tokenLimit = perSecond(tokenPerSecond);
        this.delay = new DelayParameters(Math.max(1, (long) (partnerPerSecond * SYNC_PERIOD.toNanos() / 1e9)), SYNC_PERIOD);
        // The rate is part of the key: instances started with another rate count in another row instead of
        // silently inheriting the first configuration the store saw.
        this.partnerKeySuffix = String.format(Locale.ROOT, ":%s/s", partnerPerSecond);
        this.partners = Caffeine.newBuilder().maximumSize(100_000).build();
        // An idle token's bucket is full again after one second (its burst is one second of its rate): forgetting it
        // after a minute idle loses nothing. The size bound is the memory cap for a flood of distinct tokens.
        this.tokens = Caffeine.newBuilder().maximumSize(MAX_TOKEN_BUCKETS).expireAfterAccess(Duration.ofMinutes(1)).build();
    }

    private static BucketConfiguration perSecond(double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("a rate must be positive: " + rate);
        }
        long burst = Math.max(1, (long) Math.ceil(rate));
        Duration oneToken = Duration.ofNanos(Math.max(1, (long) (1e9 / rate)));
        return BucketConfiguration.builder()
                .addLimit(limit -> rate >= 1
                        ? limit.capacity(burst).refillGreedy((long) Math.ceil(rate), Duration.ofSeconds(1))
                        : limit.capacity(1).refillGreedy(1, oneToken))
                .build();
    }

    @Override
    public boolean tryAcquire(long partnerId, String rateKey, long nowNanos) {
        boolean tokenOk = rateKey == null || token(rateKey).take();
        // The partner is charged even when the token is over: the request reached the gateway all the same.
        boolean partnerOk = partner(partnerId).take();
        return tokenOk && partnerOk;
    }

    /**
     * Whole seconds until one more request of this partner and token would fit, from what the buckets said when
     * they last refused (no store round trip); at least 1 (a Retry-After of 0 invites a tight loop).
     */
    public long retryAfterSeconds(long partnerId, String rateKey) {
        long now = System.nanoTime();
        long wait = 0;
        Limited p = partners.getIfPresent(partnerId);
        if (p != null) {
            wait = p.waitNanos(now);
        }
        Limited t = rateKey == null ? null : tokens.getIfPresent(rateKey);
        if (t != null) {
            wait = Math.max(wait, t.waitNanos(now));
        }
        return Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    }

    /** Token buckets held right now (bounded by {@link #MAX_TOKEN_BUCKETS}). */
    long tokenBuckets() {
        tokens.cleanUp();
        return tokens.estimatedSize();
    }

    private Limited token(String rateKey) {
        return tokens.get(rateKey, k -> new Limited(Bucket.builder().withNanosecondPrecision()
                .addLimit(tokenLimit.getBandwidths()[0]).build()));
    }

    private Limited partner(long partnerId) {
        return partners.get(partnerId, id -> {
            String key = "partner:" + id + partnerKeySuffix;
            // The row is made once, unbatched, before the delaying proxy is used: concurrent first requests batched
            // over a bucket not yet in the store failed with BucketNotFoundException (a CI run's 500s at load start).
            try {
                store.builder().build(key, () -> partnerLimit).getAvailableTokens();
            } catch (RuntimeException e) {
                Limited.rethrowAsStoreFailure(e);
            }
            return new Limited(store.builder().withOptimization(Optimizations.delaying(delay)).build(key, () -> partnerLimit));
        });
    }
}
