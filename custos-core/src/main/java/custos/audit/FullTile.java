package custos.audit;

import custos.audit.internal.TreeHasher;

/** A full hash tile the tree completed: 256 consecutive hashes of node level {@code 8·level}, concatenated. */
public record FullTile(int level, long index, byte[] hashes) {
    public static final int WIDTH = 256;
    public static final int BYTES = WIDTH * TreeHasher.SIZE;

    public FullTile {
        if (level < 0 || index < 0 || hashes.length != BYTES) throw new IllegalArgumentException("not a full tile: " + level + "/" + index);
    }

    /** The hash of the tile's 256 hashes as one perfect subtree: its node in the tile level above. */
    public byte[] root() {
        return TreeHasher.subtree(hashes, 0, WIDTH);
    }
}
