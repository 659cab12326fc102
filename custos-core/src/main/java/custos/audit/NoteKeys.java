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
        return keyId(name, ED25519, rawPublicKey);
    }

    /** key ID = first 4 bytes of SHA-256(name || 0x0A || type || raw public key), for any signature type. */
    static byte[] keyId(String name, byte type, byte[] rawPublicKey) {
        byte[] h = TreeHasher.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {0x0A, type}, rawPublicKey);
        return Arrays.copyOf(h, 4);
    }

    /** {@code name+hex8(keyid)+base64(type||raw)}: a C2SP verifier key. */
    static String verifierKey(String name, byte type, byte[] keyId, byte[] raw) {
        byte[] typed = new byte[33];
        typed[0] = type;
        System.arraycopy(raw, 0, typed, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + java.util.Base64.getEncoder().encodeToString(typed);
    }

    /** The raw Ed25519 key of a verifier key of this type, checked against its name and key ID. */
    static byte[] parseVerifierKey(String verifierKey, byte type) throws InvalidProofException {
        String[] parts = verifierKey.trim().split("\\+", 3);
        if (parts.length != 3) throw new InvalidProofException("verifier key is not name+keyid+key");
        byte[] id;
        byte[] typed;
        try {
            checkName(parts[0]);
            id = HexFormat.of().parseHex(parts[1]);
            typed = java.util.Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidProofException("malformed verifier key: " + e.getMessage());
        }
        if (id.length != 4 || typed.length != 33 || typed[0] != type) {
            throw new InvalidProofException("verifier key is not an Ed25519 key of type 0x" + HexFormat.of().toHexDigits(type));
        }
        byte[] raw = Arrays.copyOfRange(typed, 1, 33);
        if (!java.security.MessageDigest.isEqual(id, keyId(parts[0], type, raw))) throw new InvalidProofException("verifier key ID does not match its key");
        try {
            fromRaw(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidProofException("verifier key is not an Ed25519 key");
        }
        return raw;
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
