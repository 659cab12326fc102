package custos.audit;

import custos.audit.internal.TreeHasher;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/** C2SP signed-note key encoding for Ed25519: key names, key IDs and raw/X.509 public key conversion. */
final class NoteKeys {
    static final byte ED25519 = 0x01;
    // DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410); the raw 32-byte key follows it.
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private NoteKeys() {}

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("+") || name.codePoints().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("key name must be non-empty, without spaces or '+': " + name);
        }
    }

    /** key ID = first 4 bytes of SHA-256(name || 0x0A || 0x01 || raw public key). */
    static byte[] keyId(String name, byte[] rawPublicKey) {
        byte[] h = TreeHasher.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {0x0A, ED25519}, rawPublicKey);
        return Arrays.copyOf(h, 4);
    }

    static byte[] raw(PublicKey key) {
        byte[] enc = key.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    static PublicKey fromRaw(byte[] raw) {
        try {
            byte[] enc = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
            System.arraycopy(raw, 0, enc, X509_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(enc));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }
}
