package custos.partner;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and verifies partner client secrets with the JDK's PBKDF2-HMAC-SHA256, encoded as
 * {@code pbkdf2-sha256$iterations$salt$hash} (base64url). Only the encoded hash is ever stored.
 */
public final class ClientSecrets {
    // Client secrets are 192-bit random strings, not human passwords: stretching adds nothing against guessing,
    // so a moderate count keeps verification cheap on the token endpoint while keeping a standard salted format.
    private static final int ITERATIONS = 10_000;
    private static final int KEY_BITS = 256;
    private static final String PREFIX = "pbkdf2-sha256";

    private ClientSecrets() {}

    public static String hash(String secret) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return hash(secret, salt);
    }

    /** Hashes with a given salt; the world generator uses a seeded salt so the same seed gives the same store. */
    public static String hash(String secret, byte[] salt) {
        byte[] key = derive(secret, salt, ITERATIONS);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return PREFIX + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    public static boolean verifies(String secret, String encoded) {
        if (secret == null || encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] expected = b64.decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(secret, b64.decode(parts[2]), iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
