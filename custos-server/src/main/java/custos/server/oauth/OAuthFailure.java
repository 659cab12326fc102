package custos.server.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** An OAuth error (RFC 6749 code and a description for the developer), answered per the endpoint's rules. */
final class OAuthFailure extends Exception {
    private final transient ErrorObject error;

    OAuthFailure(ErrorObject error, String description) {
        super(error.getCode() + ": " + description, null, false, false);
        this.error = error.setDescription(description);
    }

    ErrorObject error() {
        return error;
    }
}
