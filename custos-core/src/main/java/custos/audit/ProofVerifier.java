package custos.audit;

import custos.audit.internal.TreeHasher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** Verifies inclusion and consistency proofs exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 prescribe. */
public final class ProofVerifier {
    private ProofVerifier() {}

    /** The RFC 6962 leaf hash of one entry's data. */
    public static byte[] leafHash(byte[] data) {
        return TreeHasher.leaf(data);
    }

    public static void verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root)
            throws InvalidProofException {
        byte[] computed = rootFromInclusion(leafHash, index, size, path);
        if (!MessageDigest.isEqual(computed, root)) throw new InvalidProofException("inclusion proof does not lead to the root");
    }

    /** The root an inclusion proof implies (RFC 9162 §2.1.3.2 steps 1-4), failing on any malformed proof. */
    public static byte[] rootFromInclusion(byte[] leafHash, long index, long size, List<byte[]> path)
            throws InvalidProofException {
        if (index < 0 || size <= 0 || index >= size) throw new InvalidProofException("index " + index + " outside tree of size " + size);
        checkHashes(path);
        checkLength(leafHash);
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) throw new InvalidProofException("inclusion proof too long");
            if ((fn & 1) == 1 || fn == sn) {
                r = TreeHasher.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = TreeHasher.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) throw new InvalidProofException("inclusion proof too short");
        return r;
    }

    /**
     * Checks that the tree of size {@code to} with root {@code toRoot} extends the one of size {@code from}. Equal
     * sizes need an empty proof and equal roots; size 0 is refused because it proves nothing.
     */
    public static void verifyConsistency(long from, long to, List<byte[]> proof, byte[] fromRoot, byte[] toRoot)
            throws InvalidProofException {
        if (from <= 0) throw new InvalidProofException("consistency from size " + from + " proves nothing");
        if (from > to) throw new InvalidProofException("consistency from " + from + " to smaller " + to);
        checkHashes(proof);
        checkLength(fromRoot);
        checkLength(toRoot);
        if (from == to) {
            if (!proof.isEmpty()) throw new InvalidProofException("consistency proof between equal sizes must be empty");
            if (!MessageDigest.isEqual(fromRoot, toRoot)) throw new InvalidProofException("same size, different roots: the log forked");
            return;
        }
        if (proof.isEmpty()) throw new InvalidProofException("empty consistency proof");
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(from) == 1) path.add(0, fromRoot);
        long fn = from - 1;
        long sn = to - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) throw new InvalidProofException("consistency proof too long");
            if ((fn & 1) == 1 || fn == sn) {
                fr = TreeHasher.node(c, fr);
                sr = TreeHasher.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = TreeHasher.node(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) throw new InvalidProofException("consistency proof too short");
        if (!MessageDigest.isEqual(fr, fromRoot)) throw new InvalidProofException("consistency proof does not lead to the earlier root");
        if (!MessageDigest.isEqual(sr, toRoot)) throw new InvalidProofException("consistency proof does not lead to the later root");
    }

    private static void checkHashes(List<byte[]> hashes) throws InvalidProofException {
        for (byte[] h : hashes) checkLength(h);
    }

    private static void checkLength(byte[] h) throws InvalidProofException {
        if (h == null || h.length != TreeHasher.SIZE) throw new InvalidProofException("hash is not 32 bytes");
    }
}
