package custos.server.cli;

import custos.server.CustosApp;
import custos.server.http.PublicUrl;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custos serve}: the production start, on the configured store, seeding nothing. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the gateway on the configured store (CUSTOS_DB_URL, or the embedded store in --data). Seeds nothing.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:CUSTOS_PORT:-8080}", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "${env:CUSTOS_HOST:-0.0.0.0}", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", defaultValue = "data",
            description = "Data folder of the embedded store (default: ${DEFAULT-VALUE}); ignored when CUSTOS_DB_URL is set.")
    Path data;

    @Option(names = "--public-url", defaultValue = "${env:CUSTOS_PUBLIC_URL}",
            description = "The URL partners and browsers reach this gateway by, e.g. https://custos.example.com (env"
                    + " CUSTOS_PUBLIC_URL): the OAuth issuer and the base of every URL in its metadata; https makes"
                    + " cookies Secure. Default: http://localhost:<port>.")
    String publicUrl;

    @Override
    public Integer call() throws InterruptedException {
        PublicUrl url = publicUrl(publicUrl);
        Running running = Running.start(Database.open(DbConfig.fromEnvironment(data)), host, port, url);
        System.out.println("custos: serving on http://" + displayHost(host) + ":" + running.app().port() + "/ ("
                + (url == null ? "" : "public URL " + url + ", ") + "store: " + running.app().database().description() + ")");
        running.awaitShutdown();
        return 0;
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
            CustosApp app;
            try {
                app = CustosApp.start(database, CustosApp.Options.on(host, port).withPublicUrl(publicUrl));
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
