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
        // Every leaf's proof at one size, and consistency from every earlier checkpoint-like size to it.
        long to = 1 + Math.floorMod(pick, size);
        for (long index = Math.floorMod(pick, 97); index < to; index += 97) {
            assertThat(tree.inclusionProof(index, to)).as("inclusion of %d in %d", index, to)
                    .containsExactlyElementsOf(reference.inclusionProof(index, to));
            assertThat(tree.consistencyProof(index + 1, to)).as("consistency %d..%d", index + 1, to)
                    .containsExactlyElementsOf(reference.consistencyProof(index + 1, to));
            assertThat(tree.root(index + 1)).isEqualTo(reference.root(index + 1));
            assertThat(tree.leafHash(index)).isEqualTo(reference.leafHash(index));
        }
        for (int level = 0; level < 3; level++) {
            long nodes = (long) size >>> (8 * level);
            for (long tile = 0; tile * 256 < nodes; tile += 1 + tile / 4) {
                int width = (int) Math.min(256, nodes - tile * 256);
                assertThat(tree.tile(level, tile, width)).as("tile %d/%d", level, tile).isEqualTo(reference.tile(level, tile, width));
            }
        }
    }
}
