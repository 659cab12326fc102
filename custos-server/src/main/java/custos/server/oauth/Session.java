package custos.server.oauth;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A browser session on the authorization server: who logged in (null before login) and the form CSRF token. */
public record Session(byte[] idHash, Long personId, String csrfToken, Instant expiresAt) {

    public boolean loggedIn() {
        return personId != null;
    }

    /** Compares in constant time, so the token cannot be guessed byte by byte. */
    public boolean csrfMatches(String presented) {
        return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
