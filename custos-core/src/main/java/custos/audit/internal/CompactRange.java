package custos.audit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing tree: the roots of its perfect subtrees, largest first. Appending a leaf merges equal
 * sized peaks, which is exactly the set of new complete nodes, so integration costs amortised O(1) hashes per leaf.
 */
public final class CompactRange {
    private final List<byte[]> peaks = new ArrayList<>();
    private long size;

    public long size() {
        return size;
    }

    /** Appends one leaf hash, reporting every node it completes (the leaf itself at level 0 first). */
    public void append(byte[] leafHash, NodeSink sink) {
        long index = size;
        byte[] hash = leafHash;
        int level = 0;
        sink.node(0, index, hash);
        while ((index & 1) == 1) {
            hash = TreeHasher.node(peaks.remove(peaks.size() - 1), hash);
            level++;
            index >>>= 1;
            sink.node(level, index, hash);
        }
        peaks.add(hash);
        size++;
    }

    /** Restores the range from a tree whose complete nodes are known, without rehashing. */
    public static CompactRange of(long size, NodeSource nodes) {
        CompactRange range = new CompactRange();
        long start = 0;
        for (int level = 63; level >= 0; level--) {
            if ((size >>> level & 1) == 1) {
                range.peaks.add(nodes.node(level, start >>> level));
                start += 1L << level;
            }
        }
        range.size = size;
        return range;
    }

    public byte[] root() {
        if (peaks.isEmpty()) return TreeHasher.empty();
        byte[] root = peaks.get(peaks.size() - 1);
        for (int i = peaks.size() - 2; i >= 0; i--) root = TreeHasher.node(peaks.get(i), root);
        return root;
    }
}
