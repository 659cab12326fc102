package custos.server.pages;

import static org.assertj.core.api.Assertions.assertThat;

import custos.policy.Reason;
import custos.server.http.CustosServer;
import custos.server.http.ProblemType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every problem {@code type} URI Custos sends resolves to a page that explains it. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ProblemPageTest {
    static CustosServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = CustosServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(new ProblemPage(new Pages())));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyProblemTypeUriResolvesToAPageWithItsTitle(ProblemType type) throws Exception {
        var res = get(type.uri());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(res.body()).contains("<h1>" + type.title() + "</h1>").contains("What to do")
                .contains("HTTP status " + type.status().code());
    }

    @Test
    void theAccessDeniedPageExplainsEveryReasonCode() throws Exception {
        String body = get(ProblemType.ACCESS_DENIED.uri()).body();
        for (Reason r : Reason.values()) {
            assertThat(body).contains("<code>" + r.name() + "</code>");
        }
    }

    @Test
    void anUnknownProblemTypeIsANotFoundProblem() throws Exception {
        var res = get("/problems/no-such-problem");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.body()).contains("\"type\":\"/problems/not-found\"");
    }
}
