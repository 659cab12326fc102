package custos.audit.internal;

import custos.audit.FullTile;
import custos.audit.TileStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tree's complete nodes as tlog tiles: the right edge (one partial tile per tile level, at most 255 hashes
 * each) in memory, every full tile in a {@link TileStore} once handed over, and the full tiles completed since then
 * in memory until they are. Node {@code (level, index)} lies in tile level {@code level / 8}; nodes between tile
 * levels are hashed from the tile's hashes (at most 255 hashes). One thread appends; any thread may read nodes of
 * the size published after the append.
 */
public final class TiledNodes implements NodeSource, NodeSink {
    private static final int LEVELS = 8;
    private static final int WIDTH = FullTile.WIDTH;
    private final TileStore store;
    /** Per tile level: how many of its tiles are full, and the hashes of the next (partial) one. */
    private final long[] full = new long[LEVELS];
    private final byte[][] partial = new byte[LEVELS][];
    private final int[] partialCount = new int[LEVELS];
    /** Per tile level: the complete nodes between it and the level above inside the partial tile (as {@link FullTile#interior}). */
    private final byte[][] partialInterior = new byte[LEVELS][];
    /** Full tiles completed but not yet handed to the store, in the order they completed. */
    private final List<FullTile> unstored = new ArrayList<>();

    public TiledNodes(TileStore store) {
        this.store = store;
        for (int l = 0; l < LEVELS; l++) {
            partial[l] = new byte[FullTile.BYTES];
            partialInterior[l] = new byte[FullTile.INTERIOR_BYTES];
        }
    }

    /**
     * The nodes of a tree of {@code size} leaves (a multiple of 256) whose full tiles are all in {@code store}: the
     * partial tiles of the levels above 0 are the roots of full tiles of the level below, one read per level.
     */
    public static TiledNodes resume(TileStore store, long size) {
        if (size % WIDTH != 0) throw new IllegalArgumentException("a tree resumes at a multiple of 256 leaves, not " + size);
        TiledNodes nodes = new TiledNodes(store);
        for (int l = 0; l < LEVELS; l++) {
            long count = size >>> (8 * l); // nodes of level 8·l
            nodes.full[l] = count >>> 8;
            int rest = (int) (count & (WIDTH - 1));
            if (rest > 0) {
                List<byte[]> roots = store.roots(l - 1, nodes.full[l] * WIDTH, count);
                if (roots.size() != rest) throw new IllegalStateException("the store gave " + roots.size() + " roots of level " + (l - 1) + ", not " + rest);
                for (int i = 0; i < rest; i++) System.arraycopy(roots.get(i), 0, nodes.partial[l], i * TreeHasher.SIZE, TreeHasher.SIZE);
                nodes.partialCount[l] = rest;
                nodes.rehashInterior(l);
            }
        }
        return nodes;
    }

    /** The complete interior nodes of a resumed partial tile, hashed once from its hashes. */
    private void rehashInterior(int l) {
        int count = partialCount[l];
        for (int k = 1; k < 8; k++) {
            for (int i = 0; (i + 1) << k <= count; i++) {
                byte[] hash = TreeHasher.subtree(partial[l], i << k, 1 << k);
                System.arraycopy(hash, 0, partialInterior[l], interiorAt(k, i) * TreeHasher.SIZE, TreeHasher.SIZE);
            }
        }
    }

    /** Where node {@code i} of in-tile level {@code k} (1..7) is in an interior array. */
    private static int interiorAt(int k, long i) {
        return WIDTH - (1 << (9 - k)) + (int) (i & ((WIDTH >>> k) - 1));
    }

    @Override
    public synchronized void node(int level, long index, byte[] hash) {
        if (level % 8 != 0) {
            // Between tile levels: kept for the partial tile, so proofs along the right edge read it, not rehash it.
            System.arraycopy(hash, 0, partialInterior[level / 8], interiorAt(level % 8, index) * TreeHasher.SIZE, TreeHasher.SIZE);
            return;
        }
        int l = level / 8;
        int at = (int) (index & (WIDTH - 1));
        if (index >>> 8 != full[l] || at != partialCount[l]) throw new IllegalStateException("node " + level + "/" + index + " out of order");
        System.arraycopy(hash, 0, partial[l], at * TreeHasher.SIZE, TreeHasher.SIZE);
        partialCount[l]++;
        if (partialCount[l] == WIDTH) {
            unstored.add(new FullTile(l, full[l], partial[l]));
            partial[l] = new byte[FullTile.BYTES]; // the full tile keeps the old array, never written again
            partialInterior[l] = new byte[FullTile.INTERIOR_BYTES];
            partialCount[l] = 0;
            full[l]++;
        }
    }

    @Override
    public byte[] node(int level, long index) {
        int l = level / 8;
        int below = level % 8;
        long first = index << below; // the first node of level 8·l under it
        long tile = first >>> 8;
        int count = 1 << below;
        if (below > 0) {
            int at = interiorAt(below, index) * TreeHasher.SIZE;
            synchronized (this) {
                if (tile == full[l]) return Arrays.copyOfRange(partialInterior[l], at, at + TreeHasher.SIZE);
            }
            if (stored(l, tile)) {
                // Between tile levels in a stored tile: its interior nodes, kept or cached by the store.
                return Arrays.copyOfRange(store.interior(l, tile), at, at + TreeHasher.SIZE);
            }
        }
        byte[] hashes = hashes(l, tile, (int) (first & (WIDTH - 1)) + count);
        return TreeHasher.subtree(hashes, (int) (first & (WIDTH - 1)), count);
    }

    /** Whether tile {@code index} of level {@code l} is full and already handed to the store. */
    private synchronized boolean stored(int l, long index) {
        if (index >= full[l]) return false;
        for (FullTile t : unstored) {
            if (t.level() == l && t.index() == index) return false;
        }
        return true;
    }

    /**
     * The first {@code width} hashes of tile {@code index} of tile level {@code level} (the whole tile, or more, may
     * be returned); fails if the tile does not hold that many yet.
     */
    public byte[] hashes(int level, long index, int width) {
        synchronized (this) {
            if (level >= LEVELS || index > full[level] || index == full[level] && width > partialCount[level]) {
                throw new IllegalArgumentException("tile " + level + "/" + index + " has no " + width + " hashes yet");
            }
            if (index == full[level]) return Arrays.copyOf(partial[level], width * TreeHasher.SIZE);
            for (int i = unstored.size() - 1; i >= 0; i--) {
                FullTile t = unstored.get(i);
                if (t.level() == level && t.index() == index) return t.hashes();
            }
        }
        return store.tile(level, index); // full tiles never change: read outside the lock
    }

    /** The full tiles completed and not yet handed to the store, oldest first. */
    public synchronized List<FullTile> unstored() {
        return List.copyOf(unstored);
    }

    /** The store now holds the oldest {@code count} unstored tiles: they are read from it from now on. */
    public synchronized void stored(int count) {
        unstored.subList(0, count).clear();
    }
}
