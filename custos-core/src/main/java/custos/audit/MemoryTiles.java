package custos.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full tiles kept in memory, with their interior nodes: what a tree for an outside verifier, a test or a benchmark
 * stores its tiles in. It grows with the tree (64 bytes a leaf, as every node of the tree); the server keeps its
 * tiles in the store.
 */
public final class MemoryTiles implements TileStore {
    private final Map<Long, byte[]>[] levels = newLevels();
    private final Map<Long, byte[]>[] interiors = newLevels();

    @SuppressWarnings("unchecked")
    private static Map<Long, byte[]>[] newLevels() {
        Map<Long, byte[]>[] levels = new Map[8];
        for (int i = 0; i < levels.length; i++) levels[i] = new HashMap<>();
        return levels;
    }

    /** Keeps a completed tile. */
    public synchronized void put(FullTile tile) {
        levels[tile.level()].put(tile.index(), tile.hashes());
        interiors[tile.level()].put(tile.index(), FullTile.interior(tile.hashes()));
    }

    @Override
    public synchronized byte[] interior(int level, long index) {
        byte[] interior = interiors[level].get(index);
        if (interior == null) throw new IllegalArgumentException("no full tile " + level + "/" + index);
        return interior;
    }

    @Override
    public synchronized byte[] tile(int level, long index) {
        byte[] hashes = levels[level].get(index);
        if (hashes == null) throw new IllegalArgumentException("no full tile " + level + "/" + index);
        return hashes;
    }

    @Override
    public List<byte[]> roots(int level, long from, long to) {
        List<byte[]> roots = new ArrayList<>();
        for (long i = from; i < to; i++) roots.add(new FullTile(level, i, tile(level, i)).root());
        return roots;
    }
}
