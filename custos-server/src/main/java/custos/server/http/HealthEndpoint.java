package custos.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /health}: 200 when every named check passes, 503 otherwise, with each check's result. */
public final class HealthEndpoint implements WebFeature {
    private final Map<String, BooleanSupplier> checks;

    public HealthEndpoint(Map<String, BooleanSupplier> checks) {
        this.checks = Map.copyOf(checks);
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/health", (req, res) -> {
            Map<String, String> results = new LinkedHashMap<>();
            boolean up = true;
            for (var check : checks.entrySet()) {
                boolean ok;
                try {
                    ok = check.getValue().getAsBoolean();
                } catch (RuntimeException e) {
                    ok = false;
                }
                results.put(check.getKey(), ok ? "UP" : "DOWN");
                up &= ok;
            }
            res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(Json.bytes(Map.of("status", up ? "UP" : "DOWN", "checks", results)));
        });
    }
}
