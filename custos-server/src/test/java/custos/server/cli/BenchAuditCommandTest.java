package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.audit.GroupCommitAccessLog;
import custos.server.audit.LogIntegrator;
import custos.server.audit.LogKeys;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.server.store.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `custos bench audit` appends real durable entries, integrates every one of them, and ends with its figure line; it
 * does so in a throw-away database, never in the store's own log.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BenchAuditCommandTest {

    @Test
    void every_durable_append_is_integrated_and_the_last_line_is_the_rate_of_the_measured_seconds(@TempDir Path dir) {
        CommandRun run = CommandRun.of("bench", "audit", "--warmup", "1", "--seconds", "2", "--threads", "32", "--data",
                dir.resolve("data").toString());

        assertThat(run.exit()).isZero();
        List<String> lines = run.out().lines().toList();
        Matcher counts = Pattern.compile("custos: (\\d+) durable entries, (\\d+) integrated and checkpointed").matcher(run.out());
        assertThat(counts.find()).as(run.out()).isTrue();
        long appended = Long.parseLong(counts.group(1));
        assertThat(appended).isPositive();
        assertThat(Long.parseLong(counts.group(2))).isEqualTo(appended);
        assertThat(run.out()).contains("tree of " + appended + " leaves rebuilt from the store");
        // The warm-up's appends are durable and integrated too, but only the measured seconds' count in the rate.
        Matcher measured = Pattern.compile("custos: (\\d+) access entries made durable in the 2 measured s").matcher(run.out());
        assertThat(measured.find()).as(run.out()).isTrue();
        long inWindow = Long.parseLong(measured.group(1));
        assertThat(inWindow).isPositive().isLessThan(appended);
        assertThat(lines.getLast()).isEqualTo("durable_appends_per_second=" + inWindow / 2);
    }

    @Test
    void with_inputs_each_settings_change_is_committed_as_an_input_entry_at_the_rate_asked(@TempDir Path dir) {
        CommandRun run = CommandRun.of("bench", "audit", "--with-inputs", "300", "--input-rate", "40", "--warmup", "1",
                "--seconds", "2", "--threads", "16", "--data", dir.resolve("data").toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Matcher changes = Pattern.compile("custos: (\\d+) settings changes during the run \\((\\d+) in the measured 2 s, "
                + "\\d+/s\\), each committed as an input entry; (\\d+) input entries in the log \\(snapshot included\\)")
                .matcher(run.out());
        assertThat(changes.find()).as(run.out()).isTrue();
        long all = Long.parseLong(changes.group(1));
        long measured = Long.parseLong(changes.group(2));
        long snapshot = 300; // one entry per person at least, and the partners'
        assertThat(measured).isPositive().isLessThanOrEqualTo(2 * 40 + 1).isLessThanOrEqualTo(all);
        assertThat(all).isLessThanOrEqualTo(3 * 40 + 1);
        assertThat(Long.parseLong(changes.group(3))).isGreaterThanOrEqualTo(snapshot + all);
    }

    @Test
    void a_negative_warm_up_is_refused_before_anything_starts(@TempDir Path dir) {
        CommandRun run = CommandRun.of("bench", "audit", "--warmup", "-1", "--data", dir.resolve("data").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--warmup and --input-rate must be 0 or more");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void a_store_that_holds_a_log_is_left_untouched(@TempDir Path dir) {
        Path data = dir.resolve("data");
        String before;
        try (Database db = Database.open(DbConfig.embedded(data))) {
            appendLog(db, 50);
            before = fingerprint(db);
        }
        CommandRun run = CommandRun.of("bench", "audit", "--warmup", "0", "--seconds", "1", "--threads", "16", "--data", data.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("throw-away database custos_bench_");

        try (Database db = Database.open(DbConfig.embedded(data))) {
            assertThat(fingerprint(db)).isEqualTo(before);
            assertThat(benchDatabases(db)).as("the throw-away database is dropped").isZero();
        }
    }

    /** What CUSTOS_DB_URL leads to: a fresh database on that server, dropped on close; the store's own is not opened. */
    @Test
    void on_a_postgresql_server_the_benchmark_gets_a_database_of_its_own() {
        TestStores.Target target = TestStores.server();
        try (Database store = Database.open(target.config())) {
            appendLog(store, 20);
            String before = fingerprint(store);
            try (Database scratch = Database.scratch(target.config(), "custos_bench")) {
                assertThat(scratch.description()).contains("throw-away database custos_bench_");
                appendLog(scratch, 30);
                assertThat(fingerprint(store)).isEqualTo(before);
                assertThat(benchDatabases(store)).isPositive();
            }
            assertThat(fingerprint(store)).isEqualTo(before);
            assertThat(benchDatabases(store)).isZero();
        } finally {
            target.cleanup().run();
        }
    }

    private static void appendLog(Database db, int entries) {
        try (LogIntegrator integrator = new LogIntegrator(db.jdbi(), custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), "custos.local/log"));
             GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), integrator)) {
            for (int i = 0; i < entries; i++) {
                log.append(new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "tunewave", "share-in-messages", "profile:read",
                        1, 1, List.of(), Outcome.DENY, List.of(), DecisionBasis.NONE, 0, List.of()));
            }
            assertThat(integrator.awaitCheckpoint(entries, Duration.ofSeconds(10))).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The log as stored: entries, their hashes in order, the head, the checkpoints and the signing keys. */
    private static String fingerprint(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                select (select count(*) || '/' || coalesce(md5(string_agg(leaf_hash, ''::bytea order by idx)), '-') from access_events)
                    || ' head ' || (select next_idx from audit_log_head)
                    || ' checkpoints ' || (select count(*) || '/' || max(size) from log_checkpoints)
                    || ' keys ' || (select string_agg(name || ':' || from_size, ',' order by id) from log_keys)""").mapTo(String.class).one());
    }

    private static long benchDatabases(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from pg_database where datname like 'custos_bench%'")
                .mapTo(Long.class).one());
    }

    @Test
    void zero_seconds_is_refused_before_anything_starts(@TempDir Path dir) {
        CommandRun run = CommandRun.of("bench", "audit", "--seconds", "0", "--data", dir.resolve("data").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--seconds and --threads must be at least 1");
        assertThat(dir.resolve("data")).doesNotExist();
    }
}
