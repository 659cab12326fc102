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

    /**
     * The nodes inside a full tile above its own level: 128 hashes one level up, then 64, ..., then its root (255
     * hashes, {@link #INTERIOR_BYTES}), so a proof reads a node between tile levels instead of hashing up to 128
     * hashes for it. Node {@code i} of in-tile level {@code k} (1..8) is at hash {@code 256 - 2^(9-k) + i}.
     */
    public static byte[] interior(byte[] hashes) {
        byte[] out = new byte[INTERIOR_BYTES];
        byte[] below = hashes;
        int belowStart = 0;
        int start = 0;
        for (int n = WIDTH / 2; n >= 1; n /= 2) {
            for (int i = 0; i < n; i++) {
                byte[] left = java.util.Arrays.copyOfRange(below, (belowStart + 2 * i) * TreeHasher.SIZE, (belowStart + 2 * i + 1) * TreeHasher.SIZE);
                byte[] right = java.util.Arrays.copyOfRange(below, (belowStart + 2 * i + 1) * TreeHasher.SIZE, (belowStart + 2 * i + 2) * TreeHasher.SIZE);
                System.arraycopy(TreeHasher.node(left, right), 0, out, (start + i) * TreeHasher.SIZE, TreeHasher.SIZE);
            }
            below = out;
            belowStart = start;
            start += n;
        }
        return out;
    }

    /** Bytes of {@link #interior}: 255 hashes. */
    public static final int INTERIOR_BYTES = (WIDTH - 1) * TreeHasher.SIZE;
}
