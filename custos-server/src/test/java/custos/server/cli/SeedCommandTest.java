package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedCommandTest {

    @Test
    void negative_or_zero_people_is_one_clear_line_and_a_failure(@TempDir Path dir) throws Exception {
        CommandRun negative = CommandRun.of("seed", "--people", "-5", "--data", dir.toString());
        assertThat(negative.exit()).isNotZero();
        assertThat(negative.err().strip()).isEqualTo("custos: --people must be at least 1, got -5");
        assertThat(CommandRun.of("seed", "--people", "0", "--data", dir.toString()).exit()).isNotZero();
        try (var files = Files.list(dir)) {
            assertThat(files).as("nothing started, nothing written").isEmpty();
        }
    }

    @Test
    void a_store_holding_a_world_is_refused_unless_replace(@TempDir Path dir) {
        String data = dir.resolve("data").toString();
        assertThat(CommandRun.of("seed", "--people", "30", "--data", data).exit()).isZero();
        CommandRun again = CommandRun.of("seed", "--people", "30", "--data", data);
        assertThat(again.exit()).isNotZero();
        assertThat(again.err().strip()).startsWith("custos: the store already holds a world").endsWith("use --replace to overwrite it");
        assertThat(CommandRun.of("seed", "--people", "40", "--seed", "2", "--data", data, "--replace").exit()).isZero();
    }

    @Test
    void replacing_the_world_drops_what_was_bound_to_it_and_keeps_the_audit_log(@TempDir Path dir) {
        String data = dir.resolve("data").toString();
        assertThat(CommandRun.of("seed", "--people", "30", "--data", data).exit()).isZero();
        try (Database db = Database.open(DbConfig.embedded(Path.of(data)))) {
            db.jdbi().useHandle(h -> {
                h.execute("insert into bulk_extraction_flags values (1, current_date, 5, now(), 'test')");
                h.execute("insert into access_events (idx, leaf_data, leaf_hash, salt, nonce, ciphertext, subject_person,"
                        + " partner_id, outcome, at) values (0, '\\x01', '\\x02', '\\x03', '\\x04', null, 1, 1, 'ALLOW', now())");
            });
        }
        assertThat(CommandRun.of("seed", "--people", "30", "--seed", "2", "--data", data, "--replace").exit()).isZero();
        try (Database db = Database.open(DbConfig.embedded(Path.of(data)))) {
            assertThat(count(db, "bulk_extraction_flags")).isZero();
            assertThat(count(db, "access_events")).isEqualTo(1);
        }
    }

    private static long count(Database db, String table) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
    }
}
