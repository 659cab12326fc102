package custos.server.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** An OAuth error (RFC 6749 code and a description for the developer), answered per the endpoint's rules. */
final class OAuthFailure extends Exception {
    private final transient ErrorObject error;
    private final transient java.time.Duration retryAfter;

    OAuthFailure(ErrorObject error, String description) {
        this(error, description, null);
    }

    /** A refusal for now, not for good: answered 429 with {@code Retry-After}. */
    static OAuthFailure throttled(ErrorObject error, String description, java.time.Duration retryAfter) {
        return new OAuthFailure(error.setHTTPStatusCode(429), description, retryAfter);
    }

    private OAuthFailure(ErrorObject error, String description, java.time.Duration retryAfter) {
        super(error.getCode() + ": " + description, null, false, false);
        this.error = error.setDescription(description);
        this.retryAfter = retryAfter;
    }

    /** How long until the same request may succeed; null when waiting does not help. */
    java.time.Duration retryAfter() {
        return retryAfter;
    }

    ErrorObject error() {
        return error;
    }
}
