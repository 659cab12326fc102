package custos.server.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.id.State;
import java.net.URI;

/**
 * An authorization request that cannot go on. With a validated {@code redirectUri} the error goes back to the client
 * (RFC 6749 §4.1.2.1); without one (unknown client, unregistered redirect) it is shown to the person, never
 * redirected, so Custos cannot be used as an open redirector.
 */
final class AuthorizeError extends Exception {
    private final transient ErrorObject error;
    private final URI redirectUri;
    private final transient State state;

    AuthorizeError(ErrorObject error, URI redirectUri, State state) {
        super(error.getCode() + (error.getDescription() == null ? "" : ": " + error.getDescription()), null, false, false);
        this.error = error;
        this.redirectUri = redirectUri;
        this.state = state;
    }

    ErrorObject error() {
        return error;
    }

    /** The client's validated redirect URI, or null when the error must not be redirected. */
    URI redirectUri() {
        return redirectUri;
    }

    State state() {
        return state;
    }
}
