package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos config} prints every setting with its source; it and {@code serve} refuse a bad configuration with one line per mistake. */
@Timeout(60)
class ConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void theEffectiveConfigurationIsPrintedWithWhereEachValueCameFrom() throws Exception {
        Path file = dir.resolve("custos.properties");
        Files.writeString(file, "db.pool = 24\n");
        CommandRun run = CommandRun.of("config", "--config", file.toString(), "--port", "9100", "--set", "rate.token=40");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("port = 9100    # flag\n").contains("db.pool = 24    # file " + file + "\n")
                .contains("rate.token = 40.0    # flag\n").contains("host = 0.0.0.0    # default\n")
                .contains("db.password = (unset)    # default\n");
    }

    @Test
    void serveRefusesABadConfigurationBeforeStartingAnythingOneLinePerMistake() {
        CommandRun run = CommandRun.of("serve", "--port", "70000", "--set", "db.pool=x", "--set", "colour=blue",
                "--data", dir.resolve("store").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines().toList()).containsExactly(
                "custos: config: colour (flag): no such setting; the settings are data, db.password, db.pool, db.url, db.user,"
                        + " host, keys.master, limits.body-timeout, limits.header-timeout, limits.idle-timeout, limits.max-connections, log.key,"
                        + " log.origin, log.witnesses, port, proxy.trusted, public-url,"
                        + " rate.partner, rate.token, tls.cert, tls.key, token.ttl",
                "custos: config: port (flag): 70000 is outside 0..65535",
                "custos: config: db.pool (flag): 'x' is not a whole number");
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void serveRefusesATlsKeyThatIsNotAKeyInOneLineBeforeOpeningTheStore() throws Exception {
        custos.server.http.SelfSigned pair = custos.server.http.SelfSigned.rsa(dir, "gw");
        Path notAKey = Files.writeString(dir.resolve("gw.key.txt"), "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n");
        CommandRun run = CommandRun.of("serve", "--port", "0", "--data", dir.resolve("store").toString(),
                "--set", "tls.cert=" + pair.cert(), "--set", "tls.key=" + notAKey);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(1).first().asString().startsWith(
                "custos: config: tls.cert, tls.key (flag, flag): cannot read a PEM private key (PKCS#8 or RSA, unencrypted) from " + notAKey);
        assertThat(dir.resolve("store")).doesNotExist();
    }
}
