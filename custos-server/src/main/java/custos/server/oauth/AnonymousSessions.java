package custos.server.oauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * Sessions of nobody yet: a cookie {@code a.<nonce>.<expiry>.<mac>} whose HMAC-SHA256 (under one key every instance
 * shares, kept in the store) proves this gateway issued it, and from which the CSRF token is derived. Nothing is
 * stored per session, so unauthenticated traffic cannot grow the store; what an attacker can do with one is what a
 * stored anonymous session allowed (post a form with its own CSRF token), no more.
 */
final class AnonymousSessions {
    private static final String PREFIX = "a.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new session and the cookie value that carries it. */
    record Issued(Session session, String cookie) {}

    private final SecretKeySpec key;
    private final Clock clock;

    private AnonymousSessions(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.clock = clock;
    }

    /** The shared key, created by whichever instance starts first. */
    static AnonymousSessions loadOrCreate(Jdbi jdbi, Clock clock) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        byte[] key = jdbi.inTransaction(h -> {
            h.createUpdate("insert into session_mac_key (id, mac) values (1, :k) on conflict (id) do nothing")
                    .bind("k", fresh).execute();
            return h.createQuery("select mac from session_mac_key where id = 1").mapTo(byte[].class).one();
        });
        return new AnonymousSessions(key, clock);
    }

    static boolean isAnonymous(String cookie) {
        return cookie.startsWith(PREFIX);
    }

    Issued issue(Duration ttl) {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        String body = PREFIX + B64.encodeToString(nonce) + "." + clock.instant().plus(ttl).getEpochSecond();
        String cookie = body + "." + B64.encodeToString(mac("session|" + body));
        return new Issued(session(cookie, body, clock.instant().plus(ttl)), cookie);
    }

    /** The session a cookie carries, if this gateway issued it and it has not expired. */
    Optional<Session> read(String cookie) {
        int lastDot = cookie.lastIndexOf('.');
        int expiryDot = cookie.lastIndexOf('.', lastDot - 1);
        if (lastDot < 0 || expiryDot <= PREFIX.length()) {
            return Optional.empty();
        }
        String body = cookie.substring(0, lastDot);
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(cookie.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(presented, mac("session|" + body))) {
            return Optional.empty();
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(body.substring(expiryDot + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return expires.isAfter(clock.instant()) ? Optional.of(session(cookie, body, expires)) : Optional.empty();
    }

    private Session session(String cookie, String body, Instant expires) {
        return new Session(OpaqueToken.hash(cookie), null, B64.encodeToString(mac("csrf|" + body)), expires);
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
