package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.audit.CheckpointSigner;
import custos.audit.ProofVerifier;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13: a restart resumes the tree from the stored tiles (a few tile roots per level) and re-reads only the newest
 * entries, not every leaf; a log stored before tiles existed gets them once, checked against its signed checkpoint.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LogRestartTest {
    static final String ORIGIN = "custos.local/log";
    static final long ENTRIES = 200_000;
    static final long WINDOW = 1_024;

    @Test
    void aRestartReadsTileRootsPerLevelAndOnlyTheNewestEntriesNotEveryLeaf() {
        withLog(ENTRIES, (jdbi, signer) -> {
            byte[] root;
            try (LogIntegrator first = new LogIntegrator(jdbi, signer, WINDOW)) { // builds the tiles: a log from before them
                assertThat(first.rehashedFrom()).isGreaterThan(ENTRIES - WINDOW - 256);
                assertThat(first.awaitCheckpoint(ENTRIES, Duration.ofSeconds(10))).isTrue();
                root = first.tree().root();
            }
            try (LogIntegrator again = new LogIntegrator(jdbi, signer, WINDOW)) {
                assertThat(again.failure()).isEmpty();
                assertThat(again.tree().size()).isEqualTo(ENTRIES);
                assertThat(again.tree().root()).isEqualTo(root);
                // 200,000 leaves: 781 full leaf tiles, 3 of level 1; the right edge is 13 + 3 roots.
                assertThat(again.rehashedFrom()).isBetween(ENTRIES - WINDOW - 256, ENTRIES - WINDOW);
                assertThat(again.tiles().rootsRead()).isLessThanOrEqualTo(2 * 255);
                assertThat(again.tiles().tilesRead()).as("full tiles read at start").isLessThanOrEqualTo(3 * 3);
            }
        });
    }

    @Test
    void aLogWithoutTilesGetsThemOnceAndAnOldRewrittenEntryFailsThatStart() {
        withLog(20_000, (jdbi, signer) -> {
            try (LogIntegrator first = new LogIntegrator(jdbi, signer, WINDOW)) {
                assertThat(first.awaitCheckpoint(20_000, Duration.ofSeconds(10))).isTrue();
            }
            assertThat(tiles(jdbi, 0)).isEqualTo(20_000 / 256);
            byte[] data = ("\u0001" + "a different history, hashed properly").getBytes(StandardCharsets.UTF_8);
            jdbi.useHandle(h -> {
                h.execute("delete from log_tiles"); // as after the upgrade: entries and a checkpoint, no tiles
                h.createUpdate("update access_events set leaf_data = :d, leaf_hash = :h where idx = 4242")
                        .bind("d", data).bind("h", ProofVerifier.leafHash(data)).execute();
            });
            assertThatThrownBy(() -> new LogIntegrator(jdbi, signer, WINDOW).close())
                    .isInstanceOf(LogIntegrityException.class)
                    .hasMessageContaining("(signed root): the stored entries 0..19999 do not hash to the root signed for size 20000");
        });
    }

    @Test
    void aStoredTileThatDiffersFromTheEntriesFailsTheStart() {
        withLog(20_000, (jdbi, signer) -> {
            try (LogIntegrator first = new LogIntegrator(jdbi, signer, WINDOW)) {
                assertThat(first.awaitCheckpoint(20_000, Duration.ofSeconds(10))).isTrue();
            }
            long checkpoints = jdbi.withHandle(h -> h.createQuery("select count(*) from log_checkpoints").mapTo(Long.class).one());
            // The last full leaf tile lies in the re-hashed window: its entries are read again and must hash to it.
            jdbi.useHandle(h -> h.execute("update log_tiles set hashes = set_byte(hashes, 100, get_byte(hashes, 100) # 1) where level = 0 and idx = 77"));
            assertThatThrownBy(() -> new LogIntegrator(jdbi, signer, WINDOW).close())
                    .isInstanceOf(LogIntegrityException.class)
                    .hasMessageContaining("(stored tiles): the stored tile 0/77 differs from the one the entries 19712..19967 hash to");
            long after = jdbi.withHandle(h -> h.createQuery("select count(*) from log_checkpoints").mapTo(Long.class).one());
            assertThat(after).as("nothing signed").isEqualTo(checkpoints);
        });
    }

    @Test
    void changedTileRootsBelowTheWindowCannotMakeTheStartSignAnotherRoot() {
        withLog(100_000, (jdbi, signer) -> {
            try (LogIntegrator first = new LogIntegrator(jdbi, signer, WINDOW)) {
                assertThat(first.awaitCheckpoint(100_000, Duration.ofSeconds(10))).isTrue();
            }
            // Tile 0/300's root is part of the right edge the next start resumes from (level-1 tile 1 is partial).
            jdbi.useHandle(h -> h.execute("update log_tiles set root = set_byte(root, 0, get_byte(root, 0) # 1) where level = 0 and idx = 300"));
            assertThatThrownBy(() -> new LogIntegrator(jdbi, signer, WINDOW).close())
                    .isInstanceOf(LogIntegrityException.class)
                    .hasMessageContaining("(signed root): the stored entries 0..99999 do not hash to the root signed for size 100000");
        });
    }

    interface LogUse {
        void run(Jdbi jdbi, CheckpointSigner signer) throws Exception;
    }

    /** A fresh store holding {@code entries} entries written straight into the table, with no tiles and no checkpoint. */
    static void withLog(long entries, LogUse use) {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            db.jdbi().useHandle(h -> {
                h.createUpdate("""
                        insert into access_events (idx, leaf_data, leaf_hash, salt, nonce, subject_person, partner_id, outcome, at)
                        select i, d, sha256('\\x00'::bytea || d), '\\x00'::bytea, '\\x00'::bytea, 1, 1, 'ALLOW', now()
                        from (select i, convert_to('entry ' || i, 'UTF8') as d from generate_series(0, :last) as i) s""")
                        .bind("last", entries - 1).execute();
                h.createUpdate("update audit_log_head set next_idx = :n").bind("n", entries).execute();
            });
            use.run(db.jdbi(), custos.server.keys.KeySource.forThisProcess().logSigner(db.jdbi(), ORIGIN));
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            target.cleanup().run();
        }
    }

    static long tiles(Jdbi jdbi, int level) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from log_tiles where level = :l").bind("l", level).mapTo(Long.class).one());
    }
}
