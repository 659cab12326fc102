package custos.server.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** A random 256-bit credential (code, token, session id) and its SHA-256 hash, the only form that is stored. */
record OpaqueToken(String value) {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Cloned per hash: a provider lookup per call cost more than the hash itself on the token check. */
    private static final MessageDigest SHA_256 = sha256();

    static OpaqueToken random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new OpaqueToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    byte[] hash() {
        return hash(value);
    }

    static byte[] hash(String value) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = sha256();
        }
        return digest.digest(value.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "OpaqueToken[redacted]";
    }
}
