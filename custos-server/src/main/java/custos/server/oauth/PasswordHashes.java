package custos.server.oauth;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Human passwords as bcrypt hashes (Bouncy Castle's OpenBSD format, cost 10): people's ({@link PersonPasswords}) and
 * the console staff's. Client secrets use the same scheme at a lower cost ({@link custos.partner.ClientSecrets}).
 */
public final class PasswordHashes {
    private static final int COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashes() {}

    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, COST);
    }

    /** Whether {@code password} is the one {@code hash} was made from; a malformed hash matches nothing. */
    public static boolean matches(String hash, String password) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
