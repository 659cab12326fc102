package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port another process holds: one line, a non-zero exit, and nothing left running (not even the embedded store). */
class PortInUseTest {
    @Test
    void servingOnATakenPortIsOneLineAndANonZeroExit(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            CommandRun run = CommandRun.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()),
                    "--data", dir.resolve("data").toString());
            assertThat(run.exit()).isNotZero();
            assertThat(run.err().strip().lines()).hasSize(1);
            assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("in use");
            assertThat(run.out()).doesNotContain("running at");
        }
        assertThat(dir.resolve("data/postgres/postmaster.pid")).as("the embedded store stopped").doesNotExist();
    }
}
