package custos.server.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the authorization server behaves: its issuer URL (a supplier, because a server on port 0 learns its URL only
 * once started), token and code lifetimes, how long a looked-up access token may be served from the cache, and
 * whether cookies are marked Secure (on behind TLS, off for plain-HTTP demos and tests).
 */
public record OAuthSettings(Supplier<URI> issuer, Duration codeTtl, Duration accessTokenTtl, Duration refreshTokenTtl,
                            Duration sessionTtl, Duration tokenCacheTtl, boolean secureCookies) {
    /** RFC 9700 asks for short-lived codes; Custos never lets one live longer than this. */
    public static final Duration MAX_CODE_TTL = Duration.ofSeconds(60);
    /** The consent lifetime when an agreement does not set one. */
    public static final Duration DEFAULT_CONSENT_LIFETIME = Duration.ofDays(90);

    public OAuthSettings {
        Objects.requireNonNull(issuer, "issuer");
        if (codeTtl.compareTo(MAX_CODE_TTL) > 0 || codeTtl.isNegative() || codeTtl.isZero()) {
            throw new IllegalArgumentException("authorization codes must live between 1 and 60 seconds, got " + codeTtl);
        }
    }

    /**
     * Codes 60 s, access tokens 15 min, refresh tokens 30 days (never past the consent), sessions 30 min, token cache
     * 30 s (revocation reaches every instance's cache through the change feed; the TTL only bounds a missed entry).
     */
    public static OAuthSettings defaults(Supplier<URI> issuer, boolean secureCookies) {
        return new OAuthSettings(issuer, MAX_CODE_TTL, Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofMinutes(30),
                Duration.ofSeconds(30), secureCookies);
    }

    public OAuthSettings withAccessTokenTtl(Duration ttl) {
        return new OAuthSettings(issuer, codeTtl, ttl, refreshTokenTtl, sessionTtl, tokenCacheTtl, secureCookies);
    }

    String endpoint(String path) {
        String base = issuer.get().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
