package custos.audit;

import custos.audit.internal.CompactRange;
import custos.audit.internal.MemoryNodes;
import custos.audit.internal.ProofBuilder;
import custos.audit.internal.TreeHasher;
import java.util.List;

/**
 * An RFC 6962 Merkle tree held in memory: integration appends leaf hashes; roots, proofs and tlog-tiles are served
 * for any size already integrated. One thread integrates; any thread may read.
 */
public final class LogTree {
    private final MemoryNodes nodes = new MemoryNodes();
    private final CompactRange range = new CompactRange();
    private final ProofBuilder proofs = new ProofBuilder(nodes);
    private volatile long size;

    /** Integrates one leaf given its data; returns its index. */
    public long appendData(byte[] data) {
        return appendLeafHash(TreeHasher.leaf(data));
    }

    /** Integrates one leaf given its RFC 6962 leaf hash; returns its index. */
    public synchronized long appendLeafHash(byte[] leafHash) {
        long index = range.size();
        range.append(leafHash, nodes);
        size = range.size();
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
        if (width < 1 || width > 256) throw new IllegalArgumentException("tile width " + width);
        int nodeLevel = level * 8;
        long first = index * 256;
        long available = size >>> nodeLevel;
        if (first + width > available) throw new IllegalArgumentException("tile " + level + "/" + index + " width " + width + " beyond the tree");
        byte[] out = new byte[width * TreeHasher.SIZE];
        for (int i = 0; i < width; i++) {
            System.arraycopy(nodes.node(nodeLevel, first + i), 0, out, i * TreeHasher.SIZE, TreeHasher.SIZE);
        }
        return out;
    }

    private void checkSize(long treeSize) {
        if (treeSize < 0 || treeSize > size) throw new IllegalArgumentException("size " + treeSize + " beyond the integrated " + size);
    }
}
