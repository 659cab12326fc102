package custos.audit.internal;

import java.util.ArrayList;
import java.util.List;

/** Builds RFC 6962 §2.1.1 audit paths and §2.1.2 consistency proofs from complete-subtree hashes. */
public final class ProofBuilder {
    private final NodeSource nodes;

    public ProofBuilder(NodeSource nodes) {
        this.nodes = nodes;
    }

    /** MTH(D[0:size]). */
    public byte[] root(long size) {
        return size == 0 ? TreeHasher.empty() : hash(0, size);
    }

    public List<byte[]> inclusion(long index, long size) {
        if (index < 0 || index >= size) throw new IllegalArgumentException("index " + index + " not below size " + size);
        List<byte[]> path = new ArrayList<>();
        path(index, 0, size, path);
        return path;
    }

    public List<byte[]> consistency(long from, long to) {
        if (from <= 0 || from > to) throw new IllegalArgumentException("need 0 < from <= to, got " + from + ", " + to);
        List<byte[]> proof = new ArrayList<>();
        if (from < to) subproof(from, 0, to, true, proof);
        return proof;
    }

    // PATH(m, D[start:end]) with the hashes appended bottom-up.
    private void path(long m, long start, long end, List<byte[]> out) {
        long n = end - start;
        if (n <= 1) return;
        long k = split(n);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(hash(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(hash(start, start + k));
        }
    }

    // SUBPROOF(m, D[start:end], b).
    private void subproof(long m, long start, long end, boolean complete, List<byte[]> out) {
        long n = end - start;
        if (m == n) {
            if (!complete) out.add(hash(start, end));
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, start, start + k, complete, out);
            out.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(hash(start, start + k));
        }
    }

    // MTH(D[start:end]); start is always aligned to the largest power of two below end - start.
    private byte[] hash(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && (start & (n - 1)) == 0) {
            return nodes.node(Long.numberOfTrailingZeros(n), start >>> Long.numberOfTrailingZeros(n));
        }
        long k = split(n);
        return TreeHasher.node(hash(start, start + k), hash(start + k, end));
    }

    /** The largest power of two strictly below n (n ≥ 2). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }
}
