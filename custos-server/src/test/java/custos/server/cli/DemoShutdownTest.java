package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./custos demo} stopped by a signal (Ctrl-C, or SIGTERM from a supervisor) closes the app, then the store. */
class DemoShutdownTest {

    @Test
    void aStopSignalClosesTheAppBeforeTheEmbeddedStoreAndLeavesNoBrokenConnectionsOrRunningPostgres(@TempDir Path dir)
            throws Exception {
        Process demo = demo(dir, dir.resolve("data"), "demo.log");
        try {
            awaitReady(dir.resolve("demo.log"));
            // Let the background threads (policy follower, log integrator) reach their polling loops.
            Thread.sleep(1_500);
            demo.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            demo.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("demo.log"));
        assertThat(log).contains("custos: stopping");
        assertThat(log).doesNotContain("Exception").doesNotContain("marked as broken");
        // The run printed the demo cast's logins, and its first partner requests (if the world has a friend-reached
        // person) went through.
        assertThat(log).contains("login 'demo'", "login 'many-friends'", "login 'keeps-partners-out'", "login 'operator'",
                        "login 'auditor'")
                .doesNotContain("first partner requests failed");
        // PostgreSQL logs this for every session still open when it is told to stop: the app must have closed its
        // pool (after its threads) before the store went down.
        assertThat(Files.readString(dir.resolve("data/postgres.log")))
                .doesNotContain("terminating connection due to administrator command");
        assertThat(dir.resolve("data/postgres/postmaster.pid")).as("the embedded PostgreSQL stopped").doesNotExist();
        assertThat(Files.exists(dir.resolve("data/postgres/PG_VERSION"))).as("and its data stays for the next start").isTrue();
    }

    @Test
    void aDemoStartedAfterAKillNineAdoptsTheOrphanedPostgresAndStopsItOnExit(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Process first = demo(dir, data, "first.log");
        try {
            awaitReady(dir.resolve("first.log"));
            first.destroyForcibly(); // kill -9: no shutdown hook runs, PostgreSQL is left running with no owner
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        assertThat(data.resolve("postgres/postmaster.pid")).as("PostgreSQL outlived its killed owner").exists();
        Process second = demo(dir, data, "second.log");
        try {
            awaitReady(dir.resolve("second.log"));
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            second.destroyForcibly();
        }
        assertThat(data.resolve("postgres/postmaster.pid")).as("the adopting demo stopped PostgreSQL on exit").doesNotExist();
    }

    @Test
    void aDemoWhoseEmbeddedPostgresDiesExitsWithOneLine(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Process demo = demo(dir, data, "demo.log");
        try {
            awaitReady(dir.resolve("demo.log"));
            long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).strip());
            ProcessHandle.of(postmaster).orElseThrow().destroyForcibly(); // the store dies under the running demo
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo exits by itself").isTrue();
            assertThat(demo.exitValue()).isNotZero();
        } finally {
            demo.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("demo.log"));
        assertThat(log).contains("custos: the embedded PostgreSQL in " + data.toAbsolutePath().normalize() + " stopped unexpectedly");
        assertThat(log.strip().lines().reduce((a, b) -> b).orElseThrow()).as("the last line says why")
                .contains("stopped unexpectedly");
    }

    private static Process demo(Path dir, Path data, String log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CustosCommand.class.getName(),
                "demo", "--port", "0", "--people", "300", "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static void awaitReady(Path log) throws Exception {
        for (int i = 0; i < 180 && !(Files.exists(log) && Files.readString(log).contains("Ctrl-C stops it")); i++) {
            Thread.sleep(1_000);
        }
        assertThat(Files.readString(log)).contains("Ctrl-C stops it");
    }
}
