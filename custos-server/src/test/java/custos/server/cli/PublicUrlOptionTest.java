package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --public-url} on serve and demo: a bad value is one line and a failure before anything starts. */
@Timeout(30)
class PublicUrlOptionTest {

    @Test
    void serveRefusesAPublicUrlThatIsNotAnHttpOrigin(@TempDir Path dir) throws Exception {
        CommandRun bad = CommandRun.of("serve", "--port", "0", "--data", dir.resolve("data").toString(), "--public-url", "ftp://custos.example.com");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("custos: config: public-url (flag): public URL ftp://custos.example.com"
                + " refused: the scheme must be http or https, not ftp");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no store was opened").isEmpty();
        }
    }

    @Test
    void demoRefusesAPublicUrlWithAPathOrQuery(@TempDir Path dir) throws Exception {
        for (String value : new String[] {"https://custos.example.com/gateway", "https://custos.example.com?x=1"}) {
            CommandRun bad = CommandRun.of("demo", "--port", "0", "--data", dir.resolve("data").toString(), "--public-url", value);
            assertThat(bad.exit()).isNotZero();
            assertThat(bad.err().strip()).startsWith("custos: public URL " + value + " refused: ").doesNotContain("\n");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("no store was opened").isEmpty();
        }
    }

    @Test
    void aBadCustosPublicUrlInTheEnvironmentIsRefusedTheSameWay(@TempDir Path dir) throws Exception {
        String javaBinary = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
                CustosCommand.class.getName(), "serve", "--port", "0", "--data", dir.resolve("data").toString());
        pb.environment().put("CUSTOS_PUBLIC_URL", "https://custos.example.com/#top");
        pb.environment().remove("CUSTOS_DB_URL");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path errFile = dir.resolve("stderr.txt");
        pb.redirectError(errFile.toFile());
        Process process = pb.start();
        try {
            // A gateway that ignored the variable would start and serve; it must not get that far.
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("refused at once").isTrue();
        } finally {
            process.destroyForcibly();
        }
        String err = Files.readString(errFile, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isNotZero();
        assertThat(err.strip()).isEqualTo("custos: config: public-url (env CUSTOS_PUBLIC_URL): public URL"
                + " https://custos.example.com/#top refused: it must not carry a query or a fragment");
    }
}
