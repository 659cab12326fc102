package custos.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;

/**
 * The Helidon SE web server with Custos's HTTP conventions: every error is problem+json, unknown paths are
 * a {@code not-found} problem, and every request is timed into the meter registry.
 */
public final class CustosServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CustosServer.class);

    private static final Header NOSNIFF = HeaderValues.create(HeaderNames.create("X-Content-Type-Options"), "nosniff");

    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]{1,18}");

    private final WebServer server;
    private final ReadDeadlines readDeadlines;

    private CustosServer(WebServer server, ReadDeadlines readDeadlines) {
        this.server = server;
        this.readDeadlines = readDeadlines;
    }

    /** Starts on {@code port} (0 picks a free one) with the features' routes, in order, within the default limits. */
    public static CustosServer start(String host, int port, MeterRegistry meters, List<WebFeature> features) {
        return start(host, port, meters, features, ServerLimits.DEFAULTS);
    }

    /** Starts on {@code port} (0 picks a free one) with the features' routes, in order, within {@code limits}. */
    public static CustosServer start(String host, int port, MeterRegistry meters, List<WebFeature> features,
                                     ServerLimits limits) {
        ReadDeadlines readDeadlines = new ReadDeadlines(limits.headerTimeout(), limits.bodyTimeout());
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter(new RequestLog());
        routing.addFilter((chain, req, res) -> {
            Timer.Sample sample = Timer.start(meters);
            try {
                res.header(NOSNIFF);
                // First, so that even a body refused unread (413) and then drained by Helidon stops the body clock.
                readDeadlines.stopAtEndOfBody(req);
                long declared = declaredLength(req);
                if (declared < 0) {
                    // Helidon takes "-5" for a length and then waits for a body that never comes.
                    res.header(HeaderNames.CONNECTION, "close");
                    Problems.send(req, res, Problem.of(ProblemType.BAD_REQUEST,
                            "Content-Length must be one non-negative integer"));
                    return;
                }
                if (declared > limits.maxBodyBytes(req.path().path())) {
                    // Refused before a byte of the body is read.
                    Problems.send(req, res, Problem.of(ProblemType.TOO_LARGE, "A request body on this route may be at most "
                            + limits.maxBodyBytes(req.path().path()) + " bytes."));
                    return;
                }
                chain.proceed();
            } finally {
                sample.stop(HttpMetrics.requests(meters, MetricMethods.label(req.prologue().method()), RouteLabels.answeredBy(),
                        res.status().code()));
            }
        });
        HttpRouting.Builder labelled = RouteLabels.recording(routing);
        features.forEach(f -> f.register(labelled));
        routing.any((req, res) -> Problems.send(req, res, Problem.of(ProblemType.NOT_FOUND,
                "No resource at " + req.path().path())));
        routing.error(ProblemException.class, (req, res, ex) -> Problems.send(req, res, ex.problem(), ex.headers()));
        // A NumberFormatException's text ("For input string: ...") is the JDK's, not ours to show.
        routing.error(IllegalArgumentException.class, (req, res, ex) -> Problems.send(req, res, Problem.of(
                ProblemType.BAD_REQUEST, ex instanceof NumberFormatException ? "a number in the request is malformed"
                        : ex.getMessage())));
        routing.error(Exception.class, (req, res, ex) -> {
            java.util.Optional<StoreFault> fault = StoreFault.of(ex);
            if (fault.isPresent()) {
                // The store went away under this request (before the store watch noticed), or cannot write (a full
                // disk, which the watch's reads do not see): a 503 to retry, not a 500.
                StoreOutage.refuse(req, res, fault.get().detail());
                return;
            }
            LOG.warn("request failed: {} {}", req.prologue().method().text(), req.path().path(), ex);
            Problems.send(req, res, Problem.of(ProblemType.INTERNAL, "An internal error occurred; it has been logged."));
        });
        refuseTakenPort(host, port);
        WebServer server;
        try {
            server = WebServer.builder()
                    .host(host)
                    .port(port)
                    .maxTcpConnections(limits.effectiveMaxConnections())
                    // Helidon's idle check: closes connections idle between requests, or stuck in the request line.
                    .idleConnectionTimeout(limits.idleTimeout())
                    .idleConnectionPeriod(limits.idleCheckPeriod())
                    // Above every route's limit, so the route filter (problem+json) answers declared lengths; this
                    // bounds chunked bodies, which declare none.
                    .maxPayloadSize(2 * limits.maxBodyBytes())
                    .addProtocol(Http1Config.builder()
                            .maxPrologueLength(limits.maxPrologueBytes())
                            .maxHeadersSize(limits.maxHeaderBytes())
                            .addReceiveListener(readDeadlines)
                            .build())
                    .routing(routing)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            readDeadlines.close();
            throw e;
        }
        if (!server.isRunning() || server.port() <= 0) {
            // Helidon logs why and returns a server that listens nowhere; the caller must not go on as if it did.
            readDeadlines.close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " (see the log line above)");
        }
        return new CustosServer(server, readDeadlines);
    }

    /**
     * A port another process holds is one clear line before anything starts, rather than Helidon's stack trace and a
     * server that listens nowhere. (Port 0 always binds.)
     */
    private static void refuseTakenPort(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + (e instanceof java.net.BindException
                    ? "the port is in use by another process (choose another with --port)" : e.getMessage()), e);
        }
    }

    /**
     * The body length the request declares, read once for both checks: 0 when it declares none, -1 when its
     * Content-Length is not one run of ASCII digits (RFC 9110: 1*DIGIT) or is given more than once.
     */
    private static long declaredLength(ServerRequest req) {
        List<String> values = req.headers().all(HeaderNames.CONTENT_LENGTH, List::of);
        if (values.isEmpty()) {
            return 0;
        }
        String value = values.get(0).strip();
        if (values.size() > 1 || !DIGITS.matcher(value).matches()) {
            return -1;
        }
        return Long.parseLong(value);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        readDeadlines.close();
    }
}
