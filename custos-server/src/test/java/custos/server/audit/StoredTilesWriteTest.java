package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.FullTile;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tiles are stored in two statements per call, with the per-tile rules the integrator relies on. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoredTilesWriteTest {
    private static TestStores.Target target;
    private static Database db;

    @BeforeAll
    static void open() {
        target = TestStores.server();
        db = Database.open(target.config());
    }

    @AfterAll
    static void close() {
        db.close();
        target.cleanup().run();
    }

    private static FullTile tile(int level, long index, int fill) {
        byte[] hashes = new byte[FullTile.BYTES];
        java.util.Arrays.fill(hashes, (byte) fill);
        return new FullTile(level, index, hashes);
    }

    private static List<Long> stored(int level) {
        return db.jdbi().withHandle(h -> h.createQuery("select idx from log_tiles where level = :l order by idx")
                .bind("l", level).mapTo(Long.class).list());
    }

    private static java.util.Optional<FullTile> write(StoredTiles tiles, List<FullTile> list) {
        return db.jdbi().inTransaction(h -> tiles.write(h, list));
    }

    @Test
    void storesTheNewTilesAndAcceptsTheSameTilesStoredBefore() {
        db.jdbi().useHandle(h -> h.execute("truncate log_tiles"));
        StoredTiles tiles = new StoredTiles(db.jdbi());
        assertThat(write(tiles, List.of(tile(0, 0, 1), tile(0, 1, 2)))).isEmpty();
        // A restart re-hashes tiles already stored, with new ones after them, on two levels.
        assertThat(write(tiles, List.of(tile(0, 0, 1), tile(0, 1, 2), tile(0, 2, 3), tile(1, 0, 4))))
                .isEmpty();
        assertThat(stored(0)).containsExactly(0L, 1L, 2L);
        assertThat(stored(1)).containsExactly(0L);
        assertThat(new StoredTiles(db.jdbi()).tile(0, 2)).isEqualTo(tile(0, 2, 3).hashes());
    }

    @Test
    void returnsTheFirstTileThatDiffersFromTheStoredOneAndWritesNothingAfterIt() {
        db.jdbi().useHandle(h -> h.execute("truncate log_tiles"));
        StoredTiles tiles = new StoredTiles(db.jdbi());
        db.jdbi().useTransaction(h -> tiles.writeOrFail(h, List.of(tile(0, 1, 2))));
        FullTile forked = tile(0, 1, 9);
        assertThat(write(tiles, List.of(tile(0, 0, 1), forked, tile(0, 2, 3))))
                .containsSame(forked);
        assertThat(stored(0)).containsExactly(0L, 1L); // the tile before it was written, the one after it was not
    }
}
