package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TileFormatsTest {

    @Test
    void tileIndexesAreWrittenInXPrefixedThreeDigitGroups() {
        assertThat(TilePath.hashes(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(TilePath.hashes(1, 0, 256).path()).isEqualTo("tile/1/000");
        assertThat(TilePath.hashes(2, 1000, 8).path()).isEqualTo("tile/2/x001/000.p/8");
        assertThat(TilePath.entries(5, 17).path()).isEqualTo("tile/entries/005.p/17");
    }

    @Test
    void tilePathsRoundTripAndNonCanonicalSpellingsAreRejected() {
        for (TilePath t : List.of(TilePath.hashes(0, 1234067, 256), TilePath.entries(999, 1), TilePath.hashes(3, 1000000, 255))) {
            assertThat(TilePath.parse(t.path())).isEqualTo(t);
            assertThat(TilePath.parse("/" + t.path())).isEqualTo(t);
        }
        for (String bad : List.of("tile/0/1234067", "tile/0/x001/234/067", "tile/0/001/x234", "tile/0/67", "tile/0/000.p/256",
                "tile/0/000.p/0", "tile/0/000.p/08", "tile/00/000", "tile/x/000", "tile/0/x000/067", "tiles/0/000", "tile/entries")) {
            assertThatThrownBy(() -> TilePath.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void entryBundlesArePrefixedWithTwoByteLengths() throws Exception {
        byte[] bundle = EntryBundle.encode(List.of(new byte[] {7}, new byte[0], new byte[300]));
        assertThat(bundle).hasSize(3 + 2 + 302).startsWith(0, 1, 7, 0, 0, 1, 44);
        assertThat(EntryBundle.decode(bundle)).hasSize(3).element(2).satisfies(e -> assertThat(e).hasSize(300));
        assertThatThrownBy(() -> EntryBundle.decode(new byte[] {0, 5, 1})).hasMessageContaining("truncated");
        assertThatThrownBy(() -> EntryBundle.decode(new byte[] {0})).hasMessageContaining("truncated");
    }

    @Test
    void hashTilesHoldLevelEightNodesOfTheTree() {
        LogTree tree = new LogTree();
        for (int i = 0; i < 256 * 3 + 5; i++) tree.appendData(new byte[] {(byte) i, (byte) (i >> 8)});
        byte[] leaves = tree.tile(0, 3, 5);
        assertThat(java.util.Arrays.copyOfRange(leaves, 0, 32)).isEqualTo(tree.leafHash(768));
        byte[] level1 = tree.tile(1, 0, 3);
        assertThat(java.util.Arrays.copyOfRange(level1, 32, 64)).isEqualTo(subtreeRoot(tree, 256, 512));
        assertThatThrownBy(() -> tree.tile(1, 0, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] subtreeRoot(LogTree tree, int from, int to) {
        LogTree sub = new LogTree();
        for (int i = from; i < to; i++) sub.appendLeafHash(tree.leafHash(i));
        return sub.root();
    }
}
