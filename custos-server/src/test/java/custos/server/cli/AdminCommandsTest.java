package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator actions as commands on a seeded store: each prints its log entry and changes the store; bad input is
 * one line on stderr, a non-zero exit, and nothing changed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AdminCommandsTest {
    @TempDir
    static Path dir;
    static String data;

    @BeforeAll
    static void seed() {
        data = dir.resolve("data").toString();
        assertThat(CommandRun.of("seed", "--people", "60", "--data", data).exit()).isZero();
    }

    private static String query(String sql) {
        return CommandRun.query(data, sql);
    }

    private static String state() {
        return query("""
                select (select count(*) from operator_actions) || '/' || (select count(*) from partners) || '/'
                    || (select string_agg(status, ',' order by id) from partners) || '/' || (select count(*) from agreements)
                    || '/' || (select count(*) from purposes where retired_at is null) || '/' || (select count(*) from staff_accounts)""");
    }

    @Test
    void anOperatorRegistersAPartnerGivesItAnAgreementPurposeAndClientAndRetiresThePurpose() {
        CommandRun added = CommandRun.withStdin("a long operator password\n", "operator", "add", "--role", "operator", "--login", "ops-cli", "--data", data);
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("added operator ops-cli");

        CommandRun partner = CommandRun.of("partner", "add", "--slug", "nimbus", "--name", "Nimbus Weather", "--kind", "app",
                "--as", "ops-cli", "--data", data);
        assertThat(partner.exit()).as(partner.err()).isZero();
        assertThat(partner.out()).containsPattern("partner.register partner:\\d+: log entry \\d+");
        CommandRun agreement = CommandRun.of("agreement", "add", "--partner", "nimbus", "--consent-days", "90", "--data", data);
        assertThat(agreement.exit()).as(agreement.err()).isZero();
        String agreementId = agreement.out().replaceAll("(?s).*agreementId (\\d+).*", "$1");
        CommandRun purpose = CommandRun.of("purpose", "add", "--agreement", agreementId, "--code", "forecast",
                "--description", "Local forecast", "--scope", "profile:read", "--data", data);
        assertThat(purpose.exit()).as(purpose.err()).isZero();
        CommandRun client = CommandRun.of("partner", "add-client", "nimbus", "--redirect-uri", "https://nimbus.example/cb", "--data", data);
        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(client.out()).contains("clientSecret ");
        String clientId = client.out().replaceAll("(?s).*clientId (\\S+).*", "$1");
        assertThat(CommandRun.of("partner", "rotate-secret", "--client", clientId, "--data", data).exit()).isZero();
        assertThat(CommandRun.of("partner", "suspend", "nimbus", "--data", data).exit()).isZero();
        assertThat(CommandRun.of("partner", "reinstate", "nimbus", "--data", data).exit()).isZero();
        CommandRun retired = CommandRun.of("purpose", "retire", "--partner", "nimbus", "--code", "forecast", "--data", data);
        assertThat(retired.exit()).as(retired.err()).isZero();
        assertThat(CommandRun.of("agreement", "end", "--id", agreementId, "--data", data).exit()).isZero();

        assertThat(query("select string_agg(actor || ' ' || action, ', ' order by idx) from operator_actions"))
                .startsWith("ops-cli partner.register, cli:").contains("purpose.retire").endsWith("agreement.end");
        assertThat(query("select count(*) from access_events e join operator_actions o on o.idx = e.idx where e.entry_kind = 16"))
                .isEqualTo("9");
        CommandRun token = CommandRun.of("operator", "token", "--login", "ops-cli", "--data", data);
        assertThat(token.exit()).isZero();
        assertThat(token.out().strip()).startsWith("cst_");
    }

    @Test
    void badInputIsOneLineANonZeroExitAndChangesNothing() {
        String before = state();
        String[][] bad = {
                {"partner", "add", "--slug", "x y", "--name", "N", "--kind", "app"},
                {"partner", "add", "--slug", "okay", "--name", "N", "--kind", "spaceship"},
                {"partner", "add", "--slug", "tunewave", "--name", "N", "--kind", "app"},
                {"partner", "suspend", "nobody"},
                {"partner", "reinstate", "tunewave"},
                {"partner", "rotate-secret", "--client", "nobody"},
                {"purpose", "retire", "--partner", "reelhouse", "--code", "no-such"},
                {"purpose", "retire", "--id", "1", "--partner", "reelhouse", "--code", "x"},
                {"agreement", "end", "--id", "999999"},
                {"agreement", "add", "--partner", "tunewave", "--from", "yesterday"},
                {"partner", "add", "--slug", "okay", "--name", "N", "--kind", "app", "--as", "nobody"},
        };
        for (String[] args : bad) {
            String[] withData = java.util.Arrays.copyOf(args, args.length + 2);
            withData[args.length] = "--data";
            withData[args.length + 1] = data;
            CommandRun r = CommandRun.of(withData);
            assertThat(r.exit()).as(String.join(" ", args)).isNotZero();
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("custos: ").doesNotContain("\n").doesNotContain("Exception");
        }
        CommandRun shortPassword = CommandRun.withStdin("short\n", "operator", "add", "--role", "auditor", "--login", "aud-x", "--data", data);
        assertThat(shortPassword.exit()).isNotZero();
        assertThat(shortPassword.err().strip()).isEqualTo("custos: a staff password has 12 to 72 bytes");
        CommandRun badRole = CommandRun.withStdin("a long enough password\n", "operator", "add", "--role", "king", "--login", "k", "--data", data);
        assertThat(badRole.err().strip()).isEqualTo("custos: role must be operator or auditor, got: king");
        assertThat(state()).isEqualTo(before);
    }
}
