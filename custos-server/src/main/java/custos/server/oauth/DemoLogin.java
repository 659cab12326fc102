package custos.server.oauth;

import custos.world.ReferenceWorld;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The consent-screen login of the reference world's demo person ({@link ReferenceWorld#DEMO_PERSON}): login
 * {@code demo} and a password derived from the world's seed, the same way the demo client secrets are, so the seed
 * command and the docs can print it and nobody has to ship a fixed password.
 */
public record DemoLogin(long personId, String login, String password) {
    public static final String LOGIN = "demo";

    public static DemoLogin forWorld(long seed) {
        return new DemoLogin(ReferenceWorld.DEMO_PERSON, LOGIN, derived("custos reference world demo person password|" + seed));
    }

    /** Another person of the demo under {@code login}, with a password derived from the world's seed and the login. */
    public static DemoLogin forPerson(long seed, long personId, String login) {
        return new DemoLogin(personId, login, derived("custos reference world demo login password|" + seed + "|" + login));
    }

    private static String derived(String input) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Stores this login (bcrypt-hashed) for the demo person; running it again just replaces the hash. */
    public void install(PersonPasswords passwords) {
        passwords.set(personId, login, password);
    }

    @Override
    public String toString() {
        return "DemoLogin[personId=" + personId + ", login=" + login + "]";
    }
}
