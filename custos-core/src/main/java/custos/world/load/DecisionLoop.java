package custos.world.load;

import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;

/**
 * Decides a prepared request mix in a tight single-threaded loop and answers decisions per second. Each allowed
 * {@code messages:read} request also decides the authors of its page ({@link MessagePages}), as the partner API does.
 */
public final class DecisionLoop {
    private DecisionLoop() {}

    /** Two seconds of warm-up, then {@code seconds} measured; {@code mix.length} must be a power of two. */
    public static double decisionsPerSecond(PolicyView view, DecisionRequest[] mix, int seconds) {
        if (Integer.bitCount(mix.length) != 1) {
            throw new IllegalArgumentException("the mix length must be a power of two: " + mix.length);
        }
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        long[][] pages = MessagePages.of(view, mix, 11);
        loop(engine, mix, pages, System.nanoTime() + 2_000_000_000L);
        long start = System.nanoTime();
        long n = loop(engine, mix, pages, start + seconds * 1_000_000_000L);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static long loop(DecisionEngine engine, DecisionRequest[] mix, long[][] pages, long until) {
        long n = 0;
        long allowed = 0;
        int mask = mix.length - 1;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 4096; i++) {
                int at = (int) (n++ & mask);
                DecisionRequest r = mix[at];
                if (engine.decide(r).allowed()) {
                    allowed++;
                    long[] page = pages[at];
                    if (page != null) {
                        allowed += engine.coSubjects(r, page).withheldCount();
                    }
                }
            }
        }
        // Keeps the decisions observable so the JIT cannot drop them.
        return allowed < 0 ? -1 : n;
    }
}
