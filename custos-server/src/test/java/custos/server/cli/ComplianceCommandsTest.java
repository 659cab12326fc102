package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the compliance commands is one readable line and a non-zero exit, and writes nothing. */
class ComplianceCommandsTest {

    @Test
    void aMissingLegacyLogIsOneLineAndNoReport(@TempDir Path dir) {
        CommandRun run = CommandRun.of("exposure", "--log", dir.resolve("nope.csv").toString(), "--out",
                dir.resolve("out").toString(), "--data", dir.resolve("data").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("custos: no legacy log at").doesNotContain("\n");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aLegacyLogWithoutTheRequiredColumnsIsOneLineNamingTheColumn(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("old.csv"), "time,partner,person\n2025-01-01T00:00:00Z,tunewave,1\n");
        CommandRun run = CommandRun.of("exposure", "--log", log.toString(), "--out", dir.resolve("out").toString(),
                "--data", dir.resolve("data").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).contains("the header has no column category").doesNotContain("\n");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aReportPeriodThatIsNoDateOrEndsBeforeItStartsIsOneLine(@TempDir Path dir) {
        CommandRun bad = CommandRun.of("report", "--from", "2025-13-01", "--to", "2025-12-31", "--out",
                dir.resolve("out").toString(), "--data", dir.resolve("data").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("custos: --from must be a day like 2025-01-01 or an instant like"
                + " 2025-01-01T00:00:00Z, got: 2025-13-01");
        CommandRun backwards = CommandRun.of("report", "--from", "2025-12-31", "--to", "2025-01-01", "--out",
                dir.resolve("out").toString(), "--data", dir.resolve("data").toString());
        assertThat(backwards.exit()).isEqualTo(1);
        assertThat(backwards.err()).contains("the period must end after it starts");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aRecertificationIntervalOutsideNinetyToThreeHundredSixtyFiveDaysIsRefused(@TempDir Path dir) {
        CommandRun run = CommandRun.of("agreement", "recertify", "--agreement", "1", "--by", "me", "--every", "30",
                "--data", dir.resolve("data").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("90 to 365");
    }
}
