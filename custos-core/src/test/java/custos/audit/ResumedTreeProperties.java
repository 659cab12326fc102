package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A tree resumed from stored tiles serves the same roots, proofs and tiles as one built leaf by leaf in memory. */
class ResumedTreeProperties {

    static byte[] leaf(long i) {
        return ("entry " + i).getBytes();
    }

    /** A tree of {@code size} leaves stored as tiles and resumed at {@code resumeAt} (rounded down to 256). */
    static LogTree resumed(MemoryTiles store, int size, int resumeAt) {
        int at = resumeAt / 256 * 256;
        LogTree first = LogTree.resume(store, 0);
        for (int i = 0; i < at; i++) first.appendData(leaf(i));
        List<FullTile> done = first.completedTiles();
        done.forEach(store::put);
        first.tilesStored(done.size());
        LogTree tree = LogTree.resume(store, at);
        for (int i = at; i < size; i++) tree.appendData(leaf(i));
        return tree;
    }

    @Property(tries = 60)
    void aResumedTreeServesWhatTheInMemoryTreeServes(@ForAll @IntRange(min = 1, max = 70_000) int size,
                                                     @ForAll @IntRange(min = 0, max = 70_000) int rawResume,
                                                     @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int pick) {
        LogTree reference = new LogTree();
        for (int i = 0; i < size; i++) reference.appendData(leaf(i));
        MemoryTiles store = new MemoryTiles();
        LogTree tree = resumed(store, size, rawResume % (size + 1));

        assertThat(tree.size()).isEqualTo(size);
        assertThat(tree.root()).isEqualTo(reference.root());
        for (int k = 0; k < 8; k++) {
            long to = 1 + Math.floorMod((long) pick * (k + 7) + k, size);
            long from = 1 + Math.floorMod((long) pick * (k + 3), to);
            long index = Math.floorMod((long) pick * (k + 11) + 5 * k, to);
            assertThat(tree.root(to)).isEqualTo(reference.root(to));
            assertThat(tree.leafHash(index)).isEqualTo(reference.leafHash(index));
            assertThat(tree.inclusionProof(index, to)).containsExactlyElementsOf(reference.inclusionProof(index, to));
            assertThat(tree.consistencyProof(from, to)).containsExactlyElementsOf(reference.consistencyProof(from, to));
        }
        for (int level = 0; level < 3; level++) {
            long nodes = (long) size >>> (8 * level);
            for (long index = Math.max(0, nodes / 256 - 2); index * 256 < nodes; index++) {
                int width = (int) Math.min(256, nodes - index * 256);
                assertThat(tree.tile(level, index, width)).isEqualTo(reference.tile(level, index, width));
            }
        }
    }

    @Property(tries = 40)
    void tilesCompleteInOrderAndEachIsTheRootOfItsSlotAbove(@ForAll @IntRange(min = 256, max = 140_000) int size) {
        LogTree tree = LogTree.resume(new MemoryTiles(), 0);
        for (int i = 0; i < size; i++) tree.appendData(leaf(i));
        List<FullTile> done = tree.completedTiles();
        assertThat(done.stream().filter(t -> t.level() == 0).count()).isEqualTo(size / 256);
        assertThat(done.stream().filter(t -> t.level() == 1).count()).isEqualTo(size / 65_536);
        for (FullTile t : done) {
            assertThat(tree.tile(t.level(), t.index(), 256)).isEqualTo(t.hashes());
            if (t.level() == 0) {
                assertThat(tree.tile(1, t.index() / 256, (int) (t.index() % 256) + 1)).endsWith(t.root());
            }
        }
    }
}
