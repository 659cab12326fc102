package custos.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 6962 / RFC 9162 hashing: leaves are prefixed 0x00 and interior nodes 0x01 so neither can pose as the other. */
public final class TreeHasher {
    public static final int SIZE = 32;
    private static final MessageDigest PROTOTYPE = sha256();

    private TreeHasher() {}

    public static byte[] leaf(byte[] data) {
        MessageDigest md = digest();
        md.update((byte) 0x00);
        md.update(data);
        return md.digest();
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest md = digest();
        md.update((byte) 0x01);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /**
     * The root of the perfect subtree over {@code count} (a power of two) consecutive hashes stored back to back in
     * {@code hashes}, starting at hash number {@code first}.
     */
    public static byte[] subtree(byte[] hashes, int first, int count) {
        byte[][] level = new byte[count][];
        for (int i = 0; i < count; i++) {
            level[i] = new byte[SIZE];
            System.arraycopy(hashes, (first + i) * SIZE, level[i], 0, SIZE);
        }
        for (int n = count; n > 1; n >>>= 1) {
            for (int i = 0; i < n / 2; i++) level[i] = node(level[2 * i], level[2 * i + 1]);
        }
        return level[0];
    }

    /** The root of the empty tree: SHA-256 of the empty string. */
    public static byte[] empty() {
        return digest().digest();
    }

    public static byte[] sha256(byte[]... parts) {
        MessageDigest md = digest();
        for (byte[] p : parts) md.update(p);
        return md.digest();
    }

    private static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
