package custos.partner;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Hashes and verifies partner client secrets with bcrypt (Bouncy Castle's OpenBSD format), the one scheme the gateway
 * uses for every secret it checks: people's and staff passwords too, at a higher cost. Only the hash is stored.
 *
 * <p>Hashes written before bcrypt ({@code pbkdf2-sha256$iterations$salt$hash}) still verify, and
 * {@link #needsRehash} tells the caller to replace one with a bcrypt hash once the secret has been presented: the
 * plaintext exists only then.
 */
public final class ClientSecrets {
    // Client secrets are 192-bit random strings, not human passwords: stretching adds nothing against guessing them,
    // so a low cost keeps the token endpoint cheap (a few ms) while people's passwords get cost 10.
    static final int COST = 6;
    private static final String LEGACY_PREFIX = "pbkdf2-sha256$";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecrets() {}

    public static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return hash(secret, salt);
    }

    /** Hashes with a given 16-byte salt; the world generator uses a seeded salt so the same seed gives the same store. */
    public static String hash(String secret, byte[] salt) {
        return OpenBSDBCrypt.generate(secret.toCharArray(), salt, COST);
    }

    /** Whether {@code secret} is the one {@code encoded} was made from; a malformed hash matches nothing. */
    public static boolean verifies(String secret, String encoded) {
        if (secret == null || encoded == null) {
            return false;
        }
        if (encoded.startsWith(LEGACY_PREFIX)) {
            return legacyVerifies(secret, encoded);
        }
        try {
            return OpenBSDBCrypt.checkPassword(encoded, secret.toCharArray());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether a stored hash is of the pre-bcrypt format and should be replaced after a successful check. */
    public static boolean needsRehash(String encoded) {
        return encoded != null && encoded.startsWith(LEGACY_PREFIX);
    }

    private static boolean legacyVerifies(String secret, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1 || iterations > 1_000_000) {
                return false;
            }
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] expected = b64.decode(parts[3]);
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), b64.decode(parts[2]), iterations, 256);
            try {
                byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
                return MessageDigest.isEqual(expected, derived);
            } finally {
                spec.clearPassword();
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
