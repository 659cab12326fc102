package custos.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /health}: 200 when every named check passes, 503 otherwise, with each check's result and, for a check that
 * can say why it failed, the reason.
 */
public final class HealthEndpoint implements WebFeature {
    private final Map<String, Supplier<Optional<String>>> checks;

    public HealthEndpoint(Map<String, BooleanSupplier> checks) {
        this.checks = new LinkedHashMap<>();
        checks.forEach((name, check) -> this.checks.put(name,
                () -> check.getAsBoolean() ? Optional.empty() : Optional.of("")));
    }

    private HealthEndpoint(HealthEndpoint base, String name, Supplier<Optional<String>> failure) {
        this.checks = new LinkedHashMap<>(base.checks);
        this.checks.put(name, failure);
    }

    /** This endpoint with one more check, which answers why it fails (empty while it passes). */
    public HealthEndpoint with(String name, Supplier<Optional<String>> failure) {
        return new HealthEndpoint(this, name, failure);
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        // Liveness: the process serves HTTP (restart it when this fails). Readiness: /health itself (route traffic
        // elsewhere while it fails: store unreachable, lease lapsed, log failed its integrity check).
        routing.get("/health/live", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(Json.bytes(Map.of("status", "UP")));
        });
        routing.get("/health/ready", this::health);
        routing.get("/health", this::health);
    }

    private void health(io.helidon.webserver.http.ServerRequest req, io.helidon.webserver.http.ServerResponse res) {
        {
            Map<String, String> results = new LinkedHashMap<>();
            Map<String, String> reasons = new LinkedHashMap<>();
            boolean up = true;
            for (var check : checks.entrySet()) {
                Optional<String> failure;
                try {
                    failure = check.getValue().get();
                } catch (RuntimeException e) {
                    failure = Optional.of("");
                }
                results.put(check.getKey(), failure.isEmpty() ? "UP" : "DOWN");
                failure.filter(reason -> !reason.isEmpty()).ifPresent(reason -> reasons.put(check.getKey(), reason));
                up &= failure.isEmpty();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            body.put("checks", results);
            if (!reasons.isEmpty()) {
                body.put("reasons", reasons);
            }
            res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(Json.bytes(body));
        }
    }
}
