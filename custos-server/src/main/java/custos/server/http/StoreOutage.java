package custos.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * While the store does not answer, every route that needs it is refused at once with 503 and {@code Retry-After}
 * (the OAuth endpoints with RFC 6749's {@code temporarily_unavailable}), before authentication, so nothing is decided,
 * released or half-logged and no request waits out the pool's timeout. Health, metrics, static files and the problem
 * pages stay up: they are how an operator and a client learn what is wrong.
 */
public final class StoreOutage implements WebFeature {
    static final String DETAIL = "the store is unreachable; retry shortly";
    private static final List<String> STAYS_UP = List.of("/health", "/metrics", "/static/", "/problems/", "/v1/openapi.json");
    private static final List<String> OAUTH_JSON = List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke");

    private final Supplier<Optional<String>> failure;

    /** {@code failure}: why the store does not answer, empty while it does. */
    public StoreOutage(Supplier<Optional<String>> failure) {
        this.failure = failure;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            String path = req.path().path();
            if (failure.get().isEmpty() || STAYS_UP.stream().anyMatch(path::startsWith)) {
                chain.proceed();
                return;
            }
            refuse(req, res, DETAIL);
        });
    }

    /**
     * Answers 503 with {@code Retry-After: 1} for a store that cannot serve: RFC 6749's {@code temporarily_unavailable}
     * on the OAuth endpoints that speak JSON errors, {@code /problems/unavailable} everywhere else.
     */
    static void refuse(ServerRequest req, ServerResponse res, String detail) {
        res.header(HeaderNames.RETRY_AFTER, "1");
        if (OAUTH_JSON.contains(req.path().path())) {
            res.status(Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(Json.bytes(Map.of("error", "temporarily_unavailable", "error_description", detail)));
            return;
        }
        Problems.send(req, res, Problem.of(ProblemType.UNAVAILABLE, detail));
    }
}
