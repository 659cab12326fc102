package custos.server.cli;

import custos.server.CustosApp;
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

    @Override
    public Integer call() throws InterruptedException {
        Running running = Running.start(Database.open(DbConfig.fromEnvironment(data)), host, port);
        System.out.println("custos: serving on http://" + displayHost(host) + ":" + running.app().port() + "/ (store: "
                + running.app().database().description() + ")");
        running.awaitShutdown();
        return 0;
    }

    static String displayHost(String host) {
        return "0.0.0.0".equals(host) ? "localhost" : host;
    }

    /** A started app that stops cleanly on Ctrl-C (SIGINT/SIGTERM): server first, then the store. */
    record Running(CustosApp app, CountDownLatch stopped) {
        static Running start(Database database, String host, int port) {
            CustosApp app;
            try {
                app = CustosApp.start(database, CustosApp.Options.on(host, port));
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
            return new Running(app, stopped);
        }

        void awaitShutdown() throws InterruptedException {
            stopped.await();
        }
    }
}
