package custos.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Every answer names its request id, a plain caller-given id is kept and any other replaced, every log line of a
 * request carries that id, and every request (an early 413 included) leaves one access-log line.
 */
@Timeout(60)
class RequestLogTest {
    static CustosServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final Logger access = (Logger) LoggerFactory.getLogger("custos.access");
    static final Logger route = (Logger) LoggerFactory.getLogger("custos.test.route");
    static final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeAll
    static void start() {
        WebFeature logging = routing -> routing
                .get("/speaks", (req, res) -> {
                    LoggerFactory.getLogger("custos.test.route").info("inside the route");
                    res.send("ok");
                })
                .post("/v1/echo", (req, res) -> res.send("never"));
        server = CustosServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(logging));
        lines.start();
        access.addAppender(lines);
        route.addAppender(lines);
        access.setLevel(Level.INFO);
        route.setLevel(Level.INFO);
    }

    @AfterAll
    static void stop() {
        access.detachAppender(lines);
        route.detachAppender(lines);
        access.setLevel(Level.OFF);
        server.close();
    }

    @BeforeEach
    void clear() {
        synchronized (lines) {
            lines.list.clear();
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    /**
     * The access lines of the request with this id. A line is written as its answer completes, which may be just after
     * the client has read it, so another test's line can arrive late: lines are picked by request id, never counted.
     */
    private static List<ILoggingEvent> accessLines(String requestId) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            List<ILoggingEvent> snapshot;
            synchronized (lines) { // the appender appends under its own lock
                snapshot = List.copyOf(lines.list);
            }
            List<ILoggingEvent> found = snapshot.stream().filter(e -> e.getLoggerName().equals("custos.access")
                    && requestId.equals(e.getMDCPropertyMap().get("request_id"))).toList();
            if (!found.isEmpty()) return found;
            Thread.sleep(20);
        }
        return List.of();
    }

    @Test
    void aPlainCallerIdIsKeptAndOnTheRoutesLogLinesAndTheAccessLine() throws Exception {
        var res = send(at("/speaks").header("X-Request-Id", "proxy-7f3a.1"));
        assertThat(res.headers().firstValue("X-Request-Id")).hasValue("proxy-7f3a.1");
        List<ILoggingEvent> accessLines = accessLines("proxy-7f3a.1");
        assertThat(accessLines).hasSize(1);
        assertThat(accessLines.get(0).getFormattedMessage()).startsWith("GET /speaks 200 ");
        assertThat(accessLines.get(0).getMDCPropertyMap()).containsEntry("request_id", "proxy-7f3a.1");
        assertThat(accessLines.get(0).getLoggerName()).isEqualTo("custos.access");
        List<ILoggingEvent> snapshot;
        synchronized (lines) {
            snapshot = List.copyOf(lines.list);
        }
        assertThat(snapshot).filteredOn(e -> e.getLoggerName().equals("custos.test.route"))
                .singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "proxy-7f3a.1"));
    }

    @Test
    void anIdThatIsNotPlainIsReplacedNeverLogged() throws Exception {
        for (String bad : List.of("has space", "x".repeat(65), "semi;colon", "{\"json\":1}")) {
            clear();
            var res = send(at("/speaks").header("X-Request-Id", bad));
            String id = res.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).isNotEqualTo(bad).matches("[0-9a-f-]{36}");
            assertThat(accessLines(id)).as("the access line under the new id").hasSize(1);
        }
    }

    @Test
    void withoutACallerIdEveryAnswerGetsItsOwn() throws Exception {
        String a = send(at("/speaks")).headers().firstValue("X-Request-Id").orElseThrow();
        String b = send(at("/nowhere")).headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aBodyRefusedBeforeItIsReadStillHasItsIdAndAccessLine() throws Exception {
        var res = send(at("/v1/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))));
        assertThat(res.statusCode()).isEqualTo(413);
        String id = res.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(accessLines(id)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("POST /v1/echo 413 "));
    }
}
