package custos.server.oauth;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A browser session on the authorization server: who logged in (null before login) and the form CSRF token. A person
 * ({@code personId}) or a member of staff ({@code staffId}, the console's operators and auditors) signs in; never both,
 * and only a person counts as {@link #loggedIn()} for people's pages and the consent screen.
 */
public record Session(byte[] idHash, Long personId, String csrfToken, Instant expiresAt, Long staffId) {

    public Session(byte[] idHash, Long personId, String csrfToken, Instant expiresAt) {
        this(idHash, personId, csrfToken, expiresAt, null);
    }

    public boolean loggedIn() {
        return personId != null;
    }

    /** Signed in as an operator or auditor of the console. */
    public boolean staff() {
        return staffId != null;
    }

    /** Compares in constant time, so the token cannot be guessed byte by byte. */
    public boolean csrfMatches(String presented) {
        return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
