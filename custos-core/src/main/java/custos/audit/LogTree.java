package custos.audit;

import custos.audit.internal.CompactRange;
import custos.audit.internal.ProofBuilder;
import custos.audit.internal.TiledNodes;
import custos.audit.internal.TreeHasher;
import java.util.List;

/**
 * An RFC 6962 Merkle tree kept as C2SP tlog tiles: integration appends leaf hashes; roots, proofs and tiles are served
 * for any size already integrated. Memory holds the right edge (the compact range and one partial tile per tile
 * level) and the full tiles completed since they were last handed to the {@link TileStore}; everything older is read
 * back from it. One thread integrates; any thread may read.
 */
public final class LogTree {
    private final TiledNodes nodes;
    private final CompactRange range;
    private final ProofBuilder proofs;
    /** Set for a tree that keeps its own tiles: completed tiles go there at once. */
    private final MemoryTiles memory;
    private volatile long size;

    /** An empty tree keeping its tiles in memory (for verifiers, tests and benchmarks: it grows with the tree). */
    public LogTree() {
        this(new MemoryTiles());
    }

    private LogTree(MemoryTiles memory) {
        this.memory = memory;
        this.nodes = new TiledNodes(memory);
        this.range = new CompactRange();
        this.proofs = new ProofBuilder(nodes);
    }

    private LogTree(TiledNodes nodes, long size) {
        this.memory = null;
        this.nodes = nodes;
        this.range = CompactRange.of(size, nodes);
        this.proofs = new ProofBuilder(nodes);
        this.size = size;
    }

    /**
     * The tree of the first {@code size} leaves (a multiple of 256) whose full tiles {@code store} holds, resumed from
     * one read of tile roots per tile level, without reading a leaf. Tiles it completes from then on wait in
     * {@link #completedTiles()} until the caller has stored them and said so ({@link #tilesStored}).
     */
    public static LogTree resume(TileStore store, long size) {
        return new LogTree(TiledNodes.resume(store, size), size);
    }

    /** Integrates one leaf given its data; returns its index. */
    public long appendData(byte[] data) {
        return appendLeafHash(TreeHasher.leaf(data));
    }

    /** Integrates one leaf given its RFC 6962 leaf hash; returns its index. */
    public synchronized long appendLeafHash(byte[] leafHash) {
        long index = range.size();
        range.append(leafHash, nodes);
        size = range.size();
        if (memory != null && (index & 0xff) == 0xff) {
            List<FullTile> done = nodes.unstored();
            done.forEach(memory::put);
            nodes.stored(done.size());
        }
        return index;
    }

    public long size() {
        return size;
    }

    public byte[] root() {
        return root(size);
    }

    public byte[] root(long treeSize) {
        checkSize(treeSize);
        synchronized (this) {
            // The newest root comes from the compact range in memory alone, whatever the stored tiles say.
            if (treeSize == range.size()) return range.root();
        }
        return proofs.root(treeSize);
    }

    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkSize(treeSize);
        return proofs.inclusion(index, treeSize);
    }

    public List<byte[]> consistencyProof(long from, long to) {
        checkSize(to);
        return proofs.consistency(from, to);
    }

    /** The leaf hash at {@code index}. */
    public byte[] leafHash(long index) {
        if (index < 0 || index >= size) throw new IllegalArgumentException("no leaf " + index);
        return nodes.node(0, index);
    }

    /**
     * A tlog-tiles hash tile: the {@code width} consecutive level-{@code 8·level} node hashes starting at
     * {@code index·256}, concatenated. Width 256 is a full tile.
     */
    public byte[] tile(int level, long index, int width) {
        if (width < 1 || width > FullTile.WIDTH) throw new IllegalArgumentException("tile width " + width);
        if (level < 0 || level > 7) throw new IllegalArgumentException("tile level " + level);
        long available = size >>> (level * 8);
        if (index > (available - width) / FullTile.WIDTH || index * FullTile.WIDTH + width > available) {
            throw new IllegalArgumentException("tile " + level + "/" + index + " width " + width + " beyond the tree");
        }
        byte[] hashes = nodes.hashes(level, index, width);
        return hashes.length == width * TreeHasher.SIZE ? hashes : java.util.Arrays.copyOf(hashes, width * TreeHasher.SIZE);
    }

    /** The full tiles completed since they were last stored, oldest first (always empty for a tree in memory). */
    public List<FullTile> completedTiles() {
        return nodes.unstored();
    }

    /** The oldest {@code count} of {@link #completedTiles()} are now in the store and are read back from it. */
    public void tilesStored(int count) {
        nodes.stored(count);
    }

    private void checkSize(long treeSize) {
        if (treeSize < 0 || treeSize > size) throw new IllegalArgumentException("size " + treeSize + " beyond the integrated " + size);
    }
}
