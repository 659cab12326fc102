package custos.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A PostgreSQL cluster of the test's own (the embedded binaries, in a temp folder, on a free port) that the test may
 * kill with SIGKILL and start again on the same port, as a supervisor restarts a crashed database: faults that must
 * never be done to the shared server at 127.0.0.1:5432. The gateway reaches it as an external store, by URL.
 */
final class OwnPostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres running;

    private OwnPostgres(Path dataDir, EmbeddedPostgres running) {
        this.dataDir = dataDir;
        this.port = running.port();
        this.running = running;
    }

    /** A new cluster in {@code dataDir}, deleted on close. */
    static OwnPostgres start(Path dataDir) {
        return new OwnPostgres(dataDir, EmbeddedPostgres.start(dataDir));
    }

    /** How a gateway reaches database {@code name} on this cluster: by URL, as an external store. */
    DbConfig config(String name) {
        return new DbConfig.External(running.jdbcUrl(name), "postgres", null);
    }

    /** Runs one statement as the superuser on the cluster's maintenance database. */
    void admin(String sql) {
        Database.admin(running.jdbcUrl("postgres"), "postgres", null, sql);
    }

    /** SIGKILL to the postmaster: no shutdown checkpoint, its backends die of orphanhood, crash recovery on the next start. */
    void killPostmaster() throws IOException {
        List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pidFile.get(0).strip())).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().join();
    }

    /**
     * Starts the cluster again on the same port, after a kill. Its orphaned backends take a moment to notice and leave
     * the shared memory PostgreSQL refuses to start beside, so starting is retried for up to 60 s.
     */
    void restart() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                running = EmbeddedPostgres.start(dataDir, port);
                return;
            } catch (StoreException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() {
        running.close();
        TestStores.deleteTree(dataDir);
    }
}
