package custos.audit;

import java.util.List;

/**
 * Where a {@link LogTree} reads back the full hash tiles it completed (C2SP tlog-tiles: 256 hashes of one level,
 * immutable once full), so it keeps only its right edge in memory. Implementations may cache; the tree never asks
 * for a tile it has not completed and handed over ({@link LogTree#completedTiles()}).
 */
public interface TileStore {
    /** The full tile's 256 hashes, concatenated (8,192 bytes). */
    byte[] tile(int level, long index);

    /** The full tile's {@link FullTile#interior} nodes; a store may keep or cache them rather than hash them each time. */
    default byte[] interior(int level, long index) {
        return FullTile.interior(tile(level, index));
    }

    /**
     * The roots of the full tiles {@code from..to-1} of {@code level} (each the hash of its 256 hashes: a node of
     * tile level {@code level + 1}); a tree resumes its right edge from these without reading the tiles.
     */
    List<byte[]> roots(int level, long from, long to);
}
