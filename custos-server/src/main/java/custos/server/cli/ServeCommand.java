package custos.server.cli;

import custos.server.CustosApp;
import custos.server.http.PublicUrl;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.server.config.Settings;
import custos.server.http.ServerEdge;
import custos.server.http.ServerLimits;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code custos serve}: the production start, on the configured store, seeding nothing. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the gateway on the configured store (db.url / CUSTOS_DB_URL, or the embedded store in --data). Seeds nothing."
                + " Settings: --config FILE, CUSTOS_* variables, flags (docs/operations.md, Configuration).")
public final class ServeCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = config.load();
        PublicUrl url = settings.get(Settings.PUBLIC_URL);
        String host = settings.get(Settings.HOST);
        CustosApp.Options options = options(settings); // before the store opens: a missing key setting leaves nothing open
        Running running = Running.start(Database.open(storeOf(settings), settings.get(Settings.DB_POOL)), options);
        System.out.println("custos: serving on " + (settings.tls().isPresent() ? "https" : "http") + "://" + displayHost(host) + ":" + running.app().port() + "/ ("
                + (url == null ? "" : "public URL " + url + ", ") + "store: " + running.app().database().description() + ")");
        running.awaitShutdown();
        return 0;
    }

    static DbConfig storeOf(Settings settings) {
        String url = settings.get(Settings.DB_URL);
        return url == null ? DbConfig.embedded(settings.get(Settings.DATA))
                : DbConfig.external(url, settings.get(Settings.DB_USER), settings.get(Settings.DB_PASSWORD));
    }

    /** How the app runs, from the settings. */
    static CustosApp.Options options(Settings settings) {
        CustosApp.Options options = CustosApp.Options.on(settings.get(Settings.HOST), settings.get(Settings.PORT))
                .withPublicUrl(settings.get(Settings.PUBLIC_URL))
                .withRates(settings.get(Settings.RATE_PARTNER), settings.get(Settings.RATE_TOKEN))
                .withLogOrigin(settings.get(Settings.LOG_ORIGIN))
                .withKeys(custos.server.keys.KeySource.configured(settings.get(Settings.LOG_KEY), settings.get(Settings.KEYS_MASTER),
                        settings.get(Settings.DATA), settings.get(Settings.DB_URL) == null))
                .withWitnesses(settings.get(Settings.LOG_WITNESSES))
                .withEdge(new ServerEdge(settings.tls().orElse(null), settings.get(Settings.PROXY_TRUSTED)))
                .withLimits(ServerLimits.DEFAULTS
                        .withTimeouts(settings.get(Settings.HEADER_TIMEOUT), settings.get(Settings.IDLE_TIMEOUT))
                        .withBodyTimeout(settings.get(Settings.BODY_TIMEOUT))
                        .withMaxConnections(settings.get(Settings.MAX_CONNECTIONS)));
        return settings.get(Settings.TOKEN_TTL) == null ? options : options.withAccessTokenTtl(settings.get(Settings.TOKEN_TTL));
    }

    /** The checked public URL, or null when none was given (an empty CUSTOS_PUBLIC_URL counts as none). */
    static PublicUrl publicUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return PublicUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (--public-url or CUSTOS_PUBLIC_URL)", e);
        }
    }

    static String displayHost(String host) {
        return "0.0.0.0".equals(host) ? "localhost" : host;
    }

    /** A started app that stops cleanly on Ctrl-C (SIGINT/SIGTERM): server first, then the store. */
    record Running(CustosApp app, CountDownLatch stopped) {
        static Running start(Database database, String host, int port, PublicUrl publicUrl) {
            return start(database, CustosApp.Options.on(host, port).withPublicUrl(publicUrl));
        }

        static Running start(Database database, CustosApp.Options options) {
            CustosApp app;
            try {
                app = CustosApp.start(database, options);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.err.println("custos: stopping");
                app.close();
                stopped.countDown();
            }, "custos-shutdown"));
            database.stopOnlyWhenClosed(); // app.close() closes the store last
            watchEmbeddedStore(database);
            custos.server.compliance.ComplianceSweep.start(database.jdbi());
            return new Running(app, stopped);
        }

        /**
         * An embedded PostgreSQL that dies under the running app ends the process with one line and a non-zero exit:
         * nothing else would restart it, and a gateway answering 503 forever on a laptop helps nobody.
         */
        private static void watchEmbeddedStore(Database database) {
            Thread.ofVirtual().name("custos-embedded-store-watch").start(() -> {
                while (true) {
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    var gone = database.embeddedStopped();
                    if (gone.isPresent()) {
                        System.err.println("custos: " + gone.get());
                        Runtime.getRuntime().halt(1); // the shutdown hooks would only report the dead store again
                    }
                }
            });
        }

        void awaitShutdown() throws InterruptedException {
            stopped.await();
        }
    }
}
