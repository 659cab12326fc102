package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.console.StaffAccounts;
import custos.server.http.Json;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staff credentials and finding resolutions as commands: {@code operator passwd} and {@code operator revoke} change the
 * store and append an operator action each, naming the actor; {@code findings --resolve} is the console's operator
 * action too (an entry of kind 16 in the log); bad input is one line, a non-zero exit and nothing changed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StaffCommandsTest {
    @TempDir
    static Path dir;
    static String data;

    @BeforeAll
    static void seed() {
        data = dir.resolve("data").toString();
        assertThat(CommandRun.of("seed", "--people", "60", "--data", data).exit()).isZero();
        assertThat(CommandRun.withStdin("the first operator password\n", "operator", "add", "--role", "operator", "--login", "ops-first",
                "--data", data).exit()).isZero();
        assertThat(CommandRun.withStdin("an auditor password here\n", "operator", "add", "--role", "auditor", "--login", "aud-first",
                "--data", data).exit()).isZero();
    }

    private static String query(String sql) {
        return CommandRun.query(data, sql);
    }

    private static boolean signsIn(String login, String password) {
        try (Database db = Database.open(DbConfig.embedded(Path.of(data)))) {
            return new StaffAccounts(db.jdbi(), Clock.systemUTC()).verify(login, password).isPresent();
        }
    }

    @Test
    void anOperatorSetsAPasswordAndRevokesALoginEachALoggedAction() {
        assertThat(CommandRun.withStdin("the second operator pass\n", "operator", "add", "--role", "operator", "--login", "ops-leaving",
                "--data", data).exit()).isZero();
        CommandRun passwd = CommandRun.withStdin("a brand new password\n", "operator", "passwd", "--login", "ops-leaving", "--as", "ops-first",
                "--data", data);
        assertThat(passwd.exit()).as(passwd.err()).isZero();
        assertThat(passwd.out()).containsPattern("staff.password-reset staff:ops-leaving: log entry \\d+");
        assertThat(signsIn("ops-leaving", "a brand new password")).isTrue();
        assertThat(signsIn("ops-leaving", "the second operator pass")).isFalse();
        assertThat(query("select actor || ' ' || action from operator_actions where target = 'staff:ops-leaving' order by idx"))
                .isEqualTo("ops-first staff.password-reset");

        CommandRun revoked = CommandRun.of("operator", "revoke", "--login", "ops-leaving", "--data", data);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).containsPattern("staff.revoke staff:ops-leaving: log entry \\d+");
        assertThat(signsIn("ops-leaving", "a brand new password")).isFalse();
        assertThat(query("select after ->> 'revokedAt' from operator_actions where action = 'staff.revoke'")).isNotEmpty();
        assertThat(query("select count(*) from access_events e join operator_actions o on o.idx = e.idx"
                + " where o.target = 'staff:ops-leaving' and e.entry_kind = 16")).isEqualTo("2");
        // A revoked login cannot act either.
        CommandRun asRevoked = CommandRun.of("partner", "suspend", "tunewave", "--as", "ops-leaving", "--data", data);
        assertThat(asRevoked.exit()).isEqualTo(1);
        assertThat(asRevoked.err().strip()).isEqualTo("custos: no staff login ops-leaving");
    }

    @Test
    void badStaffCommandsAreOneLineAndChangeNothing() {
        String before = query("select count(*) || '/' || count(revoked_at) from staff_accounts")
                + query("select count(*) from operator_actions");
        CommandRun unknown = CommandRun.of("operator", "revoke", "--login", "nobody-here", "--data", data);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("custos: no staff login nobody-here");
        CommandRun self = CommandRun.of("operator", "revoke", "--login", "ops-first", "--as", "ops-first", "--data", data);
        assertThat(self.exit()).isEqualTo(1);
        assertThat(self.err()).contains("does not revoke their own login").doesNotContain("\n\n");
        CommandRun auditor = CommandRun.of("operator", "revoke", "--login", "ops-first", "--as", "aud-first", "--data", data);
        assertThat(auditor.exit()).isEqualTo(1);
        assertThat(auditor.err()).contains("only an operator");
        CommandRun shortPassword = CommandRun.withStdin("short\n", "operator", "passwd", "--login", "aud-first", "--data", data);
        assertThat(shortPassword.exit()).isEqualTo(1);
        assertThat(shortPassword.err().strip()).isEqualTo("custos: a staff password has 12 to 72 bytes");
        assertThat(query("select count(*) || '/' || count(revoked_at) from staff_accounts")
                + query("select count(*) from operator_actions")).isEqualTo(before);
    }

    @Test
    void resolvingAFindingFromTheCommandLineIsALoggedOperatorAction() throws Exception {
        CommandRun listed = CommandRun.of("findings", "--json", "--data", data);
        assertThat(listed.exit()).as(listed.err()).isZero();
        JsonNode findings = Json.MAPPER.readTree(listed.out()).path("findings");
        String id = null;
        for (JsonNode f : findings) {
            if (f.path("id").asText().startsWith("over-broad-grant:")) {
                id = f.path("id").asText();
            }
        }
        assertThat(id).as("an over-broad grant among %s", listed.out()).isNotNull();
        long entriesBefore = Long.parseLong(query("select count(*) from access_events where entry_kind = 16"));

        CommandRun byNobody = CommandRun.of("findings", "--resolve", id, "--by", "nobody-here", "--note", "x", "--data", data);
        assertThat(byNobody.exit()).isEqualTo(1);
        assertThat(byNobody.err().strip()).startsWith("custos: no staff login nobody-here");
        CommandRun byAuditor = CommandRun.of("findings", "--resolve", id, "--by", "aud-first", "--note", "x", "--data", data);
        assertThat(byAuditor.exit()).isEqualTo(1);
        assertThat(byAuditor.err()).contains("only an operator");
        assertThat(query("select count(*) from finding_resolutions")).isEqualTo("0");

        CommandRun resolved = CommandRun.of("findings", "--resolve", id, "--by", "ops-first",
                "--note", "messages:delete taken out of the agreement", "--data", data);
        assertThat(resolved.exit()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("resolved by ops-first: log entry");
        assertThat(Long.parseLong(query("select count(*) from access_events where entry_kind = 16"))).isEqualTo(entriesBefore + 1);
        assertThat(query("select actor || ' ' || action || ' ' || target || ' ' || (before ->> 'state') || '>' || (after ->> 'state')"
                + " from operator_actions where action = 'finding.resolve'"))
                .isEqualTo("ops-first finding.resolve " + id + " open>resolved");
        assertThat(query("select actor || ': ' || note from finding_resolutions")).isEqualTo("ops-first: messages:delete taken out of the agreement");
    }
}
