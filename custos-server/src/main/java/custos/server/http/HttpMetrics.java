package custos.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The request timer: a histogram by method, route and status, every label from a closed set. */
final class HttpMetrics {
    /** Bucket bounds an operator can alert on (Prometheus histogram buckets, in seconds once exported). */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private HttpMetrics() {}

    static Timer requests(MeterRegistry meters, String method, String route, int status) {
        return Timer.builder("custos.http.requests")
                .description("HTTP requests answered, by method, registered route (none: no route answered) and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .register(meters);
    }
}
