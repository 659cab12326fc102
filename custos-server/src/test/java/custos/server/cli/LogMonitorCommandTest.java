package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.NoteSigner;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custos log monitor --once}: accepts a log that only grows, and raises an alert that stays (exit 1) when the
 * host forks, rewrites, rolls back or re-signs its log; an unreachable host is "could not check" (exit 2), not an alert.
 */
@Timeout(60)
class LogMonitorCommandTest {
    final NoteSigner signer = NoteSigner.generate(LogHost.ORIGIN);
    LogHost host;
    @TempDir
    Path state;

    LogMonitorCommandTest() throws Exception {
        host = new LogHost(signer).grow(300);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private CommandRun monitor() {
        return CommandRun.of("log", "monitor", "--server", host.url(), "--state", state.toString(), "--key",
                signer.verifierKey(), "--once");
    }

    @Test
    void aGrowingLogIsAcceptedRoundAfterRoundAndItsHistoryKept() throws Exception {
        CommandRun first = monitor();
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("first checkpoint: 300 entries recompute to its signed root");
        assertThat(monitor().out()).contains("unchanged: 300 entries");
        host.grow(700);
        CommandRun grown = monitor();
        assertThat(grown.exit()).as(grown.err()).isZero();
        assertThat(grown.out()).contains("checkpoint of 1000 entries extends the accepted 300");
        assertThat(Files.readAllLines(state.resolve("seen"))).hasSize(2);
        assertThat(Files.readString(state.resolve("key")).strip()).isEqualTo(signer.verifierKey());
    }

    @Test
    void aRewrittenHistoryIsAnAlertThatStaysUntilAPersonRemovesIt() throws Exception {
        assertThat(monitor().exit()).isZero();
        host.rewrite(17).grow(10);
        CommandRun forked = monitor();
        assertThat(forked.exit()).isEqualTo(1);
        assertThat(forked.err().strip()).startsWith("custos: ALERT: ").contains("does not extend the accepted one of 300")
                .doesNotContain("\n");
        assertThat(state.resolve("alert")).exists();
        host.close();
        host = new LogHost(signer).grow(400); // even an honest-looking log does not clear the alert
        CommandRun later = monitor();
        assertThat(later.exit()).isEqualTo(1);
        assertThat(later.err()).contains("ALERT (from an earlier round");
    }

    @Test
    void twoRootsForTheSameSizeAreAFork() {
        assertThat(monitor().exit()).isZero();
        host.rewrite(299);
        CommandRun forked = monitor();
        assertThat(forked.exit()).isEqualTo(1);
        assertThat(forked.err()).contains("two signed roots for the same 300 entries");
    }

    @Test
    void aLogThatShrankIsAnAlert() {
        assertThat(monitor().exit()).isZero();
        host.truncate(200);
        CommandRun shrank = monitor();
        assertThat(shrank.exit()).isEqualTo(1);
        assertThat(shrank.err()).contains("the log shrank from 300 to 200 entries");
    }

    @Test
    void aLogReSignedUnderAnotherKeyIsAnAlert() {
        assertThat(monitor().exit()).isZero();
        host.resign(NoteSigner.generate(LogHost.ORIGIN)).grow(5);
        CommandRun resigned = monitor();
        assertThat(resigned.exit()).isEqualTo(1);
        assertThat(resigned.err()).contains("ALERT");
    }

    @Test
    void aFirstCheckpointWhoseEntriesDoNotHashToItIsAnAlertAndNotAccepted() {
        host.serveChanged(42);
        CommandRun run = monitor();
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("ALERT").contains("do not hash to the signed root");
        assertThat(state.resolve("checkpoint")).doesNotExist();
    }

    @Test
    void anUnreachableHostIsCouldNotCheckAndNoAlert() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CommandRun run = CommandRun.of("log", "monitor", "--server", "http://127.0.0.1:" + port, "--state", state.toString(),
                "--key", signer.verifierKey(), "--once");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("custos: could not check: could not reach http://127.0.0.1:" + port
                + ": connection refused");
        assertThat(state.resolve("alert")).doesNotExist();
    }

    @Test
    void withoutAKeyTheServersOwnIsPinnedWithAWarningAndAnotherKeyLaterIsRefused() {
        CommandRun run = CommandRun.of("log", "monitor", "--server", host.url(), "--state", state.toString(), "--once");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("warning: pinning the key the server itself gave");
        CommandRun other = CommandRun.of("log", "monitor", "--server", host.url(), "--state", state.toString(), "--once",
                "--key", NoteSigner.generate(LogHost.ORIGIN).verifierKey());
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).contains("--key differs from the key pinned in");
    }
}
