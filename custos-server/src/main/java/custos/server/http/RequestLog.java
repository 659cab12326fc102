package custos.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.UUID;
import java.util.regex.Pattern;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static net.logstash.logback.argument.StructuredArguments.v;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id, answers it in {@code X-Request-Id}, puts it on every log line written while the request
 * runs (MDC {@code request_id}), and writes one access-log line ({@code custos.access}) when the answer is done. A
 * caller's own id (a proxy's) is kept when it is short and plain; anything else is replaced, so a client cannot put
 * arbitrary text into the logs through it.
 */
public final class RequestLog implements Filter {
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Logger ACCESS = LoggerFactory.getLogger("custos.access");
    private static final int MAX_LOGGED_PATH = 256;

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(REQUEST_ID).filter(v -> PLAIN_ID.matcher(v).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        res.header(REQUEST_ID, id);
        long start = System.nanoTime();
        MDC.put("request_id", id);
        try {
            chain.proceed();
        } finally {
            if (ACCESS.isInfoEnabled()) {
                String path = req.path().rawPath();
                ACCESS.info("{} {} {} {} ms", v("method", req.prologue().method().text()),
                        v("path", path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) + "..." : path),
                        v("status", res.status().code()), v("duration_ms", (System.nanoTime() - start) / 1_000_000),
                        kv("client", ClientAddress.of(req)));
            }
            MDC.remove("request_id");
        }
    }
}
