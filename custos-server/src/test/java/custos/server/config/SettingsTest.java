package custos.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One configuration model: a flag beats the environment, which beats the file, which beats the default; every mistake
 * is found in one load, one line each; and docs/operations.md documents every setting with its variable.
 */
@Timeout(30)
class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void aFlagBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() throws Exception {
        Path file = dir.resolve("custos.properties");
        Files.writeString(file, "port = 9001\ndb.pool = 24\nrate.token = 50\ntoken.ttl = 30m\n");
        Settings s = Settings.load(Map.of("port", "9003"), Map.of("CUSTOS_PORT", "9002", "CUSTOS_DB_POOL", "20"), file);
        assertThat(s.get(Settings.PORT)).isEqualTo(9003);
        assertThat(s.source(Settings.PORT)).isEqualTo("flag");
        assertThat(s.get(Settings.DB_POOL)).isEqualTo(20);
        assertThat(s.source(Settings.DB_POOL)).isEqualTo("env CUSTOS_DB_POOL");
        assertThat(s.get(Settings.RATE_TOKEN)).isEqualTo(50.0);
        assertThat(s.source(Settings.RATE_TOKEN)).isEqualTo("file " + file);
        assertThat(s.get(Settings.TOKEN_TTL)).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.get(Settings.HOST)).isEqualTo("0.0.0.0");
        assertThat(s.source(Settings.HOST)).isEqualTo("default");
        assertThat(s.get(Settings.DB_URL)).isNull();
    }

    @Test
    void everyMistakeIsReportedAtOnceOneLineEach() throws Exception {
        Path file = dir.resolve("custos.properties");
        Files.writeString(file, "db.pol = 24\nlimits.header-timeout = 3 weeks\n");
        assertThatThrownBy(() -> Settings.load(Map.of("port", "eighty"),
                Map.of("CUSTOS_DB_URL", "postgres://x/y", "CUSTOS_RATE_PARTNER", "-5", "CUSTOS_PUBLIC_URL", "ftp://x"), file))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "db.pol (file " + file + "): no such setting; the settings are data, db.password, db.pool, db.url, db.user,"
                                + " host, limits.body-timeout, limits.header-timeout, limits.idle-timeout, limits.max-connections, log.origin, port,"
                                + " public-url, rate.partner, rate.token, token.ttl",
                        "port (flag): 'eighty' is not a whole number",
                        "public-url (env CUSTOS_PUBLIC_URL): " + publicUrlProblem("ftp://x"),
                        "db.url (env CUSTOS_DB_URL): not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database)",
                        "rate.partner (env CUSTOS_RATE_PARTNER): -5 must be a positive number",
                        "limits.header-timeout (file " + file + "): '3 weeks' is not a duration (e.g. 30s, 15m, 2h, PT15M)"));
    }

    private static String publicUrlProblem(String text) {
        try {
            custos.server.http.PublicUrl.parse(text);
            throw new AssertionError("accepted " + text);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void valuesOutsideTheirBoundsAreRefused() {
        assertThatThrownBy(() -> Settings.load(Map.of("db.pool", "1", "token.ttl", "10s", "limits.max-connections", "5"), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "db.pool (flag): 1 is outside 2..1000",
                        "token.ttl (flag): 10s is outside PT1M..PT24H",
                        "limits.max-connections (flag): 5 is outside 16..1000000"));
    }

    @Test
    void aMissingFileIsAMistakeNotSilence() {
        assertThatThrownBy(() -> Settings.load(Map.of(), Map.of(), dir.resolve("absent.properties")))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems())
                        .containsExactly("--config: no configuration file " + dir.resolve("absent.properties")));
    }

    @Test
    void aSecretIsNeverPrinted() {
        Settings s = Settings.load(Map.of(), Map.of("CUSTOS_DB_PASSWORD", "hunter2"), null);
        assertThat(String.join("\n", s.describe())).contains("db.password = (set)    # env CUSTOS_DB_PASSWORD").doesNotContain("hunter2");
    }

    @Test
    void theOperationsGuideDocumentsEverySettingWithItsVariable() throws Exception {
        String guide = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("docs/operations.md"));
        for (Setting<?> s : Settings.ALL) {
            assertThat(guide).as(s.key()).contains("| `" + s.key() + "` | `" + s.env() + "` |");
        }
    }
}
