package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.FullTile;
import custos.audit.LogTree;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A tree whose full tiles are in PostgreSQL ({@link StoredTiles}), resumed from them, serves the same roots, proofs,
 * leaf hashes and tiles as the same tree built leaf by leaf in memory.
 */
class StoredTilesProperties {
    private static TestStores.Target target;
    private static Database db;

    @BeforeContainer
    static void open() {
        target = TestStores.server();
        db = Database.open(target.config());
    }

    @AfterContainer
    static void close() {
        db.close();
        target.cleanup().run();
    }

    static byte[] leaf(long i) {
        return ("entry " + i).getBytes();
    }

    @Property(tries = 12)
    void aTreeResumedFromStoredTilesProvesWhatTheInMemoryTreeProves(@ForAll @IntRange(min = 1, max = 150_000) int size,
                                                                    @ForAll @IntRange(min = 0, max = 150_000) int rawResume,
                                                                    @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int pick) {
        db.jdbi().useHandle(h -> h.execute("truncate log_tiles"));
        int resumeAt = rawResume % (size + 1) / 256 * 256;
        LogTree reference = new LogTree();
        for (int i = 0; i < size; i++) reference.appendData(leaf(i));

        StoredTiles writing = new StoredTiles(db.jdbi());
        LogTree first = LogTree.resume(writing, 0);
        for (int i = 0; i < resumeAt; i++) first.appendData(leaf(i));
        List<FullTile> done = first.completedTiles();
        db.jdbi().useTransaction(h -> writing.writeOrFail(h, done));
        first.tilesStored(done.size());

        StoredTiles reading = new StoredTiles(db.jdbi()); // a fresh cache: everything old comes from the store
        LogTree tree = LogTree.resume(reading, resumeAt);
        for (int i = resumeAt; i < size; i++) tree.appendData(leaf(i));

        assertThat(tree.root()).isEqualTo(reference.root());
        for (int k = 0; k < 16; k++) {
            long to = 1 + Math.floorMod((long) pick * (k + 7) + k, size);
            long from = 1 + Math.floorMod((long) pick * (k + 3), to);
            long index = Math.floorMod((long) pick * (k + 11) + 5 * k, to);
            assertThat(tree.root(to)).isEqualTo(reference.root(to));
            assertThat(tree.leafHash(index)).isEqualTo(reference.leafHash(index));
            assertThat(tree.inclusionProof(index, to)).containsExactlyElementsOf(reference.inclusionProof(index, to));
            assertThat(tree.consistencyProof(from, to)).containsExactlyElementsOf(reference.consistencyProof(from, to));
            int level = k % 3;
            long nodes = (long) size >>> (8 * level);
            if (nodes > 0) {
                long tile = Math.floorMod((long) pick * (k + 13), (nodes + 255) / 256);
                int width = (int) Math.min(256, nodes - tile * 256);
                assertThat(tree.tile(level, tile, width)).isEqualTo(reference.tile(level, tile, width));
            }
        }
    }
}
