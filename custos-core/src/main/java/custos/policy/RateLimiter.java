package custos.policy;

/** Says whether one more request of a partner (and of one token) fits its rate right now. */
public interface RateLimiter {

    /** Counts the request and answers whether it was within the rates. */
    boolean tryAcquire(long partnerId, String rateKey, long nowNanos);

    /** A limiter that never limits: for offline replays of the past, where rates are not the question. */
    RateLimiter UNLIMITED = (partnerId, rateKey, nowNanos) -> true;
}
