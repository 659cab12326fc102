package custos.policy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per partner and per token: each refills continuously at its rate up to its burst. A request must
 * fit both. Buckets are created on first use; idle per-token buckets are forgotten after a while.
 */
public final class TokenBucketRateLimiter implements RateLimiter {
    private final double partnerPerSecond;
    private final double partnerBurst;
    private final double tokenPerSecond;
    private final double tokenBurst;
    private final ConcurrentHashMap<Long, Bucket> partners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Bucket> tokens = new ConcurrentHashMap<>();

    public TokenBucketRateLimiter(double partnerPerSecond, double partnerBurst, double tokenPerSecond, double tokenBurst) {
        this.partnerPerSecond = partnerPerSecond;
        this.partnerBurst = partnerBurst;
        this.tokenPerSecond = tokenPerSecond;
        this.tokenBurst = tokenBurst;
    }

    @Override
    public boolean tryAcquire(long partnerId, String rateKey, long nowNanos) {
        Bucket p = partners.computeIfAbsent(partnerId, id -> new Bucket(partnerBurst, nowNanos));
        if (rateKey == null) {
            return p.take(partnerPerSecond, partnerBurst, nowNanos);
        }
        if (tokens.size() > 200_000) {
            tokens.clear();
        }
        Bucket t = tokens.computeIfAbsent(rateKey, k -> new Bucket(tokenBurst, nowNanos));
        boolean tokenOk = t.take(tokenPerSecond, tokenBurst, nowNanos);
        boolean partnerOk = p.take(partnerPerSecond, partnerBurst, nowNanos);
        return tokenOk && partnerOk;
    }

    /** Seconds until one more request of this partner and token would fit, rounded up; at least 1. */
    public long retryAfterSeconds(long partnerId, String rateKey) {
        double perSecond = rateKey != null && tokens.containsKey(rateKey) ? Math.min(tokenPerSecond, partnerPerSecond) : partnerPerSecond;
        return Math.max(1, (long) Math.ceil(1 / perSecond));
    }

    private static final class Bucket {
        private double level;
        private long last;

        Bucket(double level, long now) {
            this.level = level;
            this.last = now;
        }

        synchronized boolean take(double perSecond, double burst, long now) {
            level = Math.min(burst, level + (now - last) / 1e9 * perSecond);
            last = now;
            if (level >= 1) {
                level -= 1;
                return true;
            }
            return false;
        }
    }
}
