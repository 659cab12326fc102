package custos.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.pages.HomePage;
import custos.server.pages.HomeView;
import custos.server.pages.Pages;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustosServerTest {
    static CustosServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeAll
    static void start() {
        WebFeature failing = routing -> routing
                .get("/boom", (req, res) -> { throw new IllegalStateException("kaput"); })
                .get("/bad", (req, res) -> { throw new IllegalArgumentException("limit must be positive"); })
                .get("/limited", (req, res) -> {
                    throw new ProblemException(Problem.of(ProblemType.RATE_LIMITED, "slow down"), Map.of("Retry-After", "3"));
                });
        server = CustosServer.start("127.0.0.1", 0, meters, List.of(
                new HomePage(new Pages(), () -> new HomeView("test", 12, 3,
                        List.of(new HomeView.Link("Log", "/log/checkpoint", "the signed checkpoint")))),
                new StaticFiles(), new HealthEndpoint(Map.of("store", () -> true)), new MetricsEndpoint(meters), failing));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void homePageRendersTheStoreSizeFromTheCompiledTemplate() throws Exception {
        var res = get("/");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(res.body()).contains("<strong>12</strong> people").contains("href=\"/log/checkpoint\"");
    }

    @Test
    void unknownPathIsANotFoundProblemNamingThePath() throws Exception {
        var res = get("/no/such/thing");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.headers().firstValue("content-type")).hasValue(Problems.MEDIA_TYPE);
        JsonNode body = Json.MAPPER.readTree(res.body());
        assertThat(body.get("type").asText()).isEqualTo("/problems/not-found");
        assertThat(body.get("status").asInt()).isEqualTo(404);
        assertThat(body.get("instance").asText()).isEqualTo("/no/such/thing");
    }

    @Test
    void handlerFailureIsAnInternalProblemThatLeaksNoExceptionText() throws Exception {
        var res = get("/boom");
        assertThat(res.statusCode()).isEqualTo(500);
        assertThat(res.body()).contains("/problems/internal").doesNotContain("kaput");
    }

    @Test
    void illegalArgumentIsABadRequestProblemWithItsMessage() throws Exception {
        var res = get("/bad");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(res.body()).get("detail").asText()).isEqualTo("limit must be positive");
    }

    @Test
    void problemExceptionCarriesItsHeaders() throws Exception {
        var res = get("/limited");
        assertThat(res.statusCode()).isEqualTo(429);
        assertThat(res.headers().firstValue("retry-after")).hasValue("3");
    }

    @Test
    void staticFilesRefuseNamesOutsideTheAllowList() throws Exception {
        assertThat(get("/static/custos.css").statusCode()).isEqualTo(200);
        assertThat(get("/static/..%2Fapplication.properties").statusCode()).isEqualTo(404);
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        assertThat(get("/health").body()).contains("\"status\":\"UP\"");
        get("/");
        assertThat(get("/metrics").body()).contains("custos_http_requests_seconds_count");
    }
}
