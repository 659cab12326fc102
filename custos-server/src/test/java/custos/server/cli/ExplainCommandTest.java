package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos explain} on a seeded store: the words match the decision, and a typo is an error, not a DENY. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExplainCommandTest {
    @TempDir
    static Path dir;
    static String data;
    static long friend;
    static long stranger;

    @BeforeAll
    static void seed() {
        data = dir.resolve("data").toString();
        assertThat(CommandRun.of("seed", "--people", "60", "--data", data).exit()).isZero();
        try (Database db = Database.open(DbConfig.embedded(Path.of(data)))) {
            friend = db.jdbi().withHandle(h -> h.createQuery("select min(person_b) from friendships where person_a = 1")
                    .mapTo(Long.class).one());
            stranger = db.jdbi().withHandle(h -> h.createQuery("select min(id) from people where id > 1 and id not in"
                    + " (select person_b from friendships where person_a = 1 union select person_a from friendships where person_b = 1)")
                    .mapTo(Long.class).one());
        }
    }

    private static CommandRun explain(String partner, long person, long subject, String purpose) {
        return CommandRun.of("explain", "--partner", partner, "--person", Long.toString(person), "--subject", Long.toString(subject),
                "--scope", "profile:read", "--purpose", purpose, "--data", data);
    }

    @Test
    void aStrangerIsNotCalledAFriendWhenTheAnswerIsNotFriends() {
        CommandRun r = explain("seekfar", 1, stranger, "social-search");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("NOT_FRIENDS").contains("(not a friend of person 1)")
                .doesNotContain("(a friend of person 1)").doesNotContain("friend's settings");
    }

    @Test
    void aFriendIsCalledAFriend() {
        CommandRun r = explain("seekfar", 1, friend, "social-search");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("(a friend of person 1)").doesNotContain("NOT_FRIENDS");
    }

    @Test
    void anUnknownPurposeIsOneLineAndAFailureNotADeny() {
        CommandRun r = explain("seekfar", 1, 1, "no-such-purpose");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("custos: unknown purpose no-such-purpose");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownPersonOrSubjectIsOneLineAndAFailureNotADeny() {
        CommandRun person = explain("seekfar", 99_999, 99_999, "social-search");
        assertThat(person.exit()).isNotZero();
        assertThat(person.err().strip()).isEqualTo("custos: unknown person 99999");
        assertThat(person.out()).isEmpty();
        CommandRun subject = explain("seekfar", 1, 99_998, "social-search");
        assertThat(subject.exit()).isNotZero();
        assertThat(subject.err().strip()).isEqualTo("custos: unknown person 99998");
    }

    @Test
    void anUnknownPartnerIsOneLineAndAFailure() {
        CommandRun byId = explain("987654", 1, 1, "social-search");
        assertThat(byId.exit()).isNotZero();
        assertThat(byId.err().strip()).isEqualTo("custos: unknown partner 987654");
        assertThat(explain("nobody", 1, 1, "social-search").err().strip()).isEqualTo("custos: unknown partner nobody");
    }
}
