package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `custos bench audit` appends real durable entries, integrates every one of them, and ends with its figure line. */
class BenchAuditCommandTest {

    @Test
    void every_durable_append_is_integrated_and_the_last_line_is_the_rate(@TempDir Path dir) {
        CommandLine cl = CustosCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int exit = cl.execute("bench", "audit", "--seconds", "1", "--threads", "32", "--data", dir.resolve("data").toString());

        assertThat(exit).isZero();
        List<String> lines = out.toString().lines().toList();
        Matcher counts = Pattern.compile("custos: (\\d+) durable entries, (\\d+) integrated and checkpointed").matcher(out.toString());
        assertThat(counts.find()).as(out.toString()).isTrue();
        long appended = Long.parseLong(counts.group(1));
        assertThat(appended).isPositive();
        assertThat(Long.parseLong(counts.group(2))).isEqualTo(appended);
        assertThat(out.toString()).contains("tree of " + appended + " leaves rebuilt from the store");
        assertThat(lines.getLast()).isEqualTo("durable_appends_per_second=" + appended);
    }

    @Test
    void zero_seconds_is_refused_before_anything_starts(@TempDir Path dir) {
        CommandLine cl = CustosCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("bench", "audit", "--seconds", "0", "--data", dir.resolve("data").toString())).isNotZero();
        assertThat(err.toString()).contains("--seconds and --threads must be at least 1");
        assertThat(dir.resolve("data")).doesNotExist();
    }
}
