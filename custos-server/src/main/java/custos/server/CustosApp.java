package custos.server;

import custos.server.http.CustosServer;
import custos.server.http.HealthEndpoint;
import custos.server.http.MetricsEndpoint;
import custos.server.http.StaticFiles;
import custos.server.http.WebFeature;
import custos.server.pages.HomePage;
import custos.server.pages.HomeView;
import custos.server.pages.Pages;
import custos.server.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The composition root: wires the store, the decision engine, the audit log, OAuth, the partner API and the
 * pages into one running gateway. Everything is built here explicitly; nothing is discovered.
 */
public final class CustosApp implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    private final Database database;
    private final CustosServer server;

    private CustosApp(Database database, CustosServer server) {
        this.database = database;
        this.server = server;
    }

    /** Starts the gateway on an open store; closing the app stops the server, then closes the store. */
    public static CustosApp start(Database database, String host, int port) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pages pages = new Pages();
        List<WebFeature> features = new ArrayList<>();
        features.add(new HomePage(pages, () -> home(database)));
        features.add(new StaticFiles());
        features.add(new HealthEndpoint(Map.of("store", () -> ping(database))));
        features.add(new MetricsEndpoint(meters));
        CustosServer server = CustosServer.start(host, port, meters, features);
        return new CustosApp(database, server);
    }

    public int port() {
        return server.port();
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        server.close();
        database.close();
    }

    private static boolean ping(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
    }

    private static HomeView home(Database database) {
        long[] counts = database.jdbi().withHandle(h -> h.createQuery(
                        "select (select count(*) from people), (select count(*) from partners)")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
        return new HomeView(VERSION, counts[0], counts[1], List.of(
                new HomeView.Link("Health", "/health", "whether the store answers"),
                new HomeView.Link("Metrics", "/metrics", "Prometheus metrics of this instance")));
    }
}
