package custos.server.policy;

import static custos.server.policy.CodeFlowClient.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import custos.server.limits.SharedRateLimiter;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateways over real HTTP on one database hold a partner to its stated rate together, not each to the whole
 * rate; a request over it is a 429 whose Retry-After comes from the limiter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerRateAcrossGatewaysTest {
    static final double PARTNER_RATE = 2;
    final TwoGateways gw = new TwoGateways(PARTNER_RATE, 10_000);

    @AfterAll
    void close() {
        gw.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoGatewaysServedTogetherAtMostThePartnersRateAndAnswerTheRestWith429AndRetryAfter() throws Exception {
        long person = gw.freshPerson();
        CodeFlowClient seekfar = new CodeFlowClient("seekfar");
        String access = tokens(seekfar.exchange(TwoGateways.base(gw.a),
                seekfar.authorize(TwoGateways.base(gw.a), person, "social-search", List.of("profile:read"), false)))
                .getAccessToken().getValue();
        gw.settle();
        String path = "/v1/people/" + person + "/profile";
        AtomicLong served = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> retryAfters = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(4);
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            CustosApp app = i % 2 == 0 ? gw.a : gw.b;
            threads[i] = Thread.ofPlatform().start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        HttpResponse<String> res = gw.get(app, access, path);
                        if (res.statusCode() == 200) {
                            served.incrementAndGet();
                        } else if (res.statusCode() == 429 && res.body().contains("rate-limited")) {
                            limited.incrementAndGet();
                            retryAfters.add(res.headers().firstValue("Retry-After").orElse("none"));
                        } else {
                            unexpected.add(res.statusCode() + " " + res.body());
                        }
                    }
                } catch (Exception e) {
                    unexpected.add(e.toString());
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double stated = PARTNER_RATE * elapsed + PARTNER_RATE; // the rate over the run plus one burst
        double tolerance = 2 * Math.max(1, PARTNER_RATE * SharedRateLimiter.SYNC_PERIOD.toNanos() / 1e9);
        System.out.printf("two gateways: %d served, %d limited in %.2f s at %s/s%n", served.get(), limited.get(), elapsed,
                PARTNER_RATE);
        assertThat(unexpected).isEmpty();
        assertThat(limited.get()).as("the gateways were driven over the rate").isPositive();
        assertThat((double) served.get()).as("served by both over %.2f s at %s/s", elapsed, PARTNER_RATE)
                .isLessThanOrEqualTo(stated + tolerance);
        assertThat(retryAfters).allSatisfy(v -> assertThat(Long.parseLong(v)).isPositive());
    }
}
