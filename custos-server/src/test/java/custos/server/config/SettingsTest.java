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
                                + " host, keys.master, limits.body-timeout, limits.header-timeout, limits.idle-timeout, limits.max-connections, log.key,"
                                + " log.origin, log.witnesses, port,"
                                + " proxy.trusted, public-url, rate.partner, rate.token, tls.cert, tls.key, token.ttl",
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

    @Test
    void directTlsNeedsBothFilesAndAPairThatBelongsTogether() {
        custos.server.http.SelfSigned one = custos.server.http.SelfSigned.rsa(dir, "one");
        custos.server.http.SelfSigned other = custos.server.http.SelfSigned.rsa(dir, "other");
        assertThat(Settings.load(Map.of(), Map.of(), null).tls()).isEmpty();
        Settings on = Settings.load(Map.of("tls.cert", one.cert().toString()), Map.of("CUSTOS_TLS_KEY", one.key().toString()), null);
        assertThat(on.tls()).isPresent();
        assertThat(on.get(Settings.TLS_CERT)).isEqualTo(one.cert());
        assertThatThrownBy(() -> Settings.load(Map.of("tls.cert", one.cert().toString()), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "tls.cert (flag): direct TLS needs tls.key too (set both, or neither for plain HTTP)"));
        assertThatThrownBy(() -> Settings.load(Map.of(), Map.of("CUSTOS_TLS_KEY", dir.resolve("absent.key").toString()), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "tls.key (env CUSTOS_TLS_KEY): no readable file " + dir.resolve("absent.key")));
        assertThatThrownBy(() -> Settings.load(Map.of("tls.cert", one.cert().toString(), "tls.key", other.key().toString()), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "tls.cert, tls.key (flag, flag): the key in " + other.key() + " does not belong to the first certificate in "
                                + one.cert() + " (CN=localhost)"));
    }

    @Test
    void trustedProxiesAreAddressesOrCidrRangesAndNothingElse() {
        Settings s = Settings.load(Map.of(), Map.of("CUSTOS_PROXY_TRUSTED", "10.0.0.0/8, 192.0.2.7,2001:db8::/32"), null);
        assertThat(s.get(Settings.PROXY_TRUSTED).toString()).isEqualTo("10.0.0.0/8,192.0.2.7,2001:db8:0:0:0:0:0:0/32");
        assertThat(Settings.load(Map.of(), Map.of(), null).get(Settings.PROXY_TRUSTED).isEmpty()).isTrue();
        assertThatThrownBy(() -> Settings.load(Map.of("proxy.trusted", "10.0.0.0/33,proxy.example.com"), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "proxy.trusted (flag): '10.0.0.0/33' has a prefix length outside 0..32"));
        assertThatThrownBy(() -> Settings.load(Map.of("proxy.trusted", "proxy.example.com"), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "proxy.trusted (flag): 'proxy.example.com' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)"));
        assertThatThrownBy(() -> Settings.load(Map.of("proxy.trusted", "10.0.0.1,,10.0.0.2"), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).containsExactly(
                        "proxy.trusted (flag): an empty entry in '10.0.0.1,,10.0.0.2' (separate addresses and ranges by one comma)"));
    }
}
