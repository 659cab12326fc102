package custos.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aTokenGetsItsBurstThenRefillsAtItsRate() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1000, 1000, 2, 3);
        assertThat(limiter.tryAcquire(1, "t", 0)).isTrue();
        assertThat(limiter.tryAcquire(1, "t", 0)).isTrue();
        assertThat(limiter.tryAcquire(1, "t", 0)).isTrue();
        assertThat(limiter.tryAcquire(1, "t", 0)).isFalse();
        assertThat(limiter.tryAcquire(1, "t", SECOND / 4)).isFalse();
        assertThat(limiter.tryAcquire(1, "t", SECOND / 2)).isTrue();
        assertThat(limiter.tryAcquire(1, "t", SECOND / 2)).isFalse();
    }

    @Test
    void refillNeverExceedsTheBurst() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1000, 1000, 1, 2);
        limiter.tryAcquire(1, "t", 0);
        int allowed = 0;
        for (int i = 0; i < 5; i++) {
            allowed += limiter.tryAcquire(1, "t", 3600 * SECOND) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(2);
    }

    @Test
    void thePartnerRateCapsAllItsTokensTogether() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 2, 100, 100);
        assertThat(limiter.tryAcquire(9, "a", 0)).isTrue();
        assertThat(limiter.tryAcquire(9, "b", 0)).isTrue();
        assertThat(limiter.tryAcquire(9, "c", 0)).isFalse();
        assertThat(limiter.tryAcquire(10, "c", 0)).isTrue();
        assertThat(limiter.tryAcquire(9, null, SECOND)).isTrue();
        assertThat(limiter.tryAcquire(9, null, SECOND)).isFalse();
    }
}
