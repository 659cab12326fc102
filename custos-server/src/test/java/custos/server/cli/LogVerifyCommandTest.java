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
 * {@code custos log verify} tells a bad input from a bad log: each input mistake is one line and exit 2 ("could not
 * check"), a log that fails is exit 1, and a key taken from the audited server itself draws a warning.
 */
@Timeout(60)
class LogVerifyCommandTest {
    final NoteSigner signer = NoteSigner.generate(LogHost.ORIGIN);
    final LogHost host;
    @TempDir
    Path dir;

    LogVerifyCommandTest() throws Exception {
        host = new LogHost(signer).grow(600);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static void couldNotCheck(CommandRun run, String says) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("custos: could not check: ").contains(says).doesNotContain("\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aGoodLogWithAPinnedKeyVerifiesSilently() {
        CommandRun run = CommandRun.of("log", "verify", "--server", host.url(), "--key", signer.verifierKey());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("log verified: 600 entries");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aKeyFetchedFromTheAuditedServerDrawsAWarning() {
        CommandRun run = CommandRun.of("log", "verify", "--server", host.url());
        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("warning: the verifier key came from the log being checked");
    }

    @Test
    void anUnreachableServerCouldNotBeChecked() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        couldNotCheck(CommandRun.of("log", "verify", "--server", "http://127.0.0.1:" + port), "connection refused");
    }

    @Test
    void aUrlWithoutSchemeCouldNotBeChecked() {
        couldNotCheck(CommandRun.of("log", "verify", "--server", "localhost:8080"), "needs an http:// or https:// URL");
    }

    @Test
    void aMissingOrCorruptEarlierCheckpointCouldNotBeChecked() throws Exception {
        couldNotCheck(CommandRun.of("log", "verify", "--server", host.url(), "--key", signer.verifierKey(),
                "--from-checkpoint", dir.resolve("nothing").toString()), "no earlier checkpoint file");
        Path corrupt = dir.resolve("corrupt");
        Files.writeString(corrupt, "custos.test/log\n12\nnot a signature\n");
        couldNotCheck(CommandRun.of("log", "verify", "--server", host.url(), "--key", signer.verifierKey(),
                "--from-checkpoint", corrupt.toString()), "is not a checkpoint signed by this key");
    }

    @Test
    void aMalformedKeyOrAMissingMirrorCouldNotBeChecked() {
        couldNotCheck(CommandRun.of("log", "verify", "--server", host.url(), "--key", "nonsense"), "--key is not a log verifier key");
        couldNotCheck(CommandRun.of("log", "verify", "--mirror", dir.resolve("absent").toString()), "no mirror directory");
        couldNotCheck(CommandRun.of("log", "verify", "--mirror", dir.toString()), "no mirror's key file");
    }

    @Test
    void aLogThatHidesAnEntryOrShrankIsBadNotUncheckable() throws Exception {
        Path earlier = dir.resolve("earlier");
        Files.writeString(earlier, host.checkpoint());
        host.serveChanged(300);
        CommandRun hidden = CommandRun.of("log", "verify", "--server", host.url(), "--key", signer.verifierKey());
        assertThat(hidden.exit()).isEqualTo(1);
        assertThat(hidden.err()).startsWith("custos: log verification FAILED: ");
        host.serveChanged(-1).truncate(100);
        CommandRun shrank = CommandRun.of("log", "verify", "--server", host.url(), "--key", signer.verifierKey(),
                "--from-checkpoint", earlier.toString());
        assertThat(shrank.exit()).isEqualTo(1);
        assertThat(shrank.err()).contains("the log shrank from 600 to 100 entries");
    }
}
