package custos.server.http;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Helidon SE web server with Custos's HTTP conventions: every error is problem+json, unknown paths are
 * a {@code not-found} problem, and every request is timed into the meter registry.
 */
public final class CustosServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CustosServer.class.getName());

    private final WebServer server;

    private CustosServer(WebServer server) {
        this.server = server;
    }

    /** Starts on {@code port} (0 picks a free one) with the features' routes, in order. */
    public static CustosServer start(String host, int port, MeterRegistry meters, List<WebFeature> features) {
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter((chain, req, res) -> {
            Timer.Sample sample = Timer.start(meters);
            try {
                chain.proceed();
            } finally {
                sample.stop(meters.timer("custos.http.requests",
                        "method", req.prologue().method().text(), "status", String.valueOf(res.status().code())));
            }
        });
        features.forEach(f -> f.register(routing));
        routing.any((req, res) -> Problems.send(req, res, Problem.of(ProblemType.NOT_FOUND,
                "No resource at " + req.path().path())));
        routing.error(ProblemException.class, (req, res, ex) -> Problems.send(req, res, ex.problem(), ex.headers()));
        routing.error(IllegalArgumentException.class, (req, res, ex) ->
                Problems.send(req, res, Problem.of(ProblemType.BAD_REQUEST, ex.getMessage())));
        routing.error(Exception.class, (req, res, ex) -> {
            LOG.log(Level.WARNING, "request failed: " + req.prologue().method().text() + " " + req.path().path(), ex);
            Problems.send(req, res, Problem.of(ProblemType.INTERNAL, "An internal error occurred; it has been logged."));
        });
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .routing(routing)
                .build()
                .start();
        return new CustosServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
