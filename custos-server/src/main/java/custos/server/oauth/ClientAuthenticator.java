package custos.server.oauth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import custos.partner.ClientSecrets;
import custos.partner.PartnerClient;

/** Checks client_secret_basic and client_secret_post credentials (parsed by Nimbus) against the stored secret hash. */
final class ClientAuthenticator {
    private final PartnerDirectory directory;

    ClientAuthenticator(PartnerDirectory directory) {
        this.directory = directory;
    }

    /**
     * Whether the request carries client credentials in any form Nimbus reads (Basic, or client_id and client_secret
     * in the body). Checked before the request is parsed, so a request without them is a 401 invalid_client (RFC 6749
     * §5.2, RFC 7009 §2.2.1) rather than whatever the parser says about a missing parameter.
     */
    static boolean presentsCredentials(com.nimbusds.oauth2.sdk.http.HTTPRequest http) {
        try {
            return ClientAuthentication.parse(http) != null;
        } catch (com.nimbusds.oauth2.sdk.ParseException malformed) {
            return true; // malformed credentials are answered by the request's own parse
        }
    }

    static OAuthFailure missingCredentials() {
        return new OAuthFailure(OAuth2Error.INVALID_CLIENT, "client authentication is required"
                + " (client_secret_basic or client_secret_post)");
    }

    PartnerClient authenticate(ClientAuthentication auth) throws OAuthFailure {
        if (auth == null) {
            throw missingCredentials();
        }
        String secret = switch (auth) {
            case ClientSecretBasic basic -> basic.getClientSecret().getValue();
            case ClientSecretPost post -> post.getClientSecret().getValue();
            default -> throw new OAuthFailure(OAuth2Error.INVALID_CLIENT,
                    "unsupported client authentication method " + auth.getMethod());
        };
        return directory.client(auth.getClientID().getValue())
                .filter(c -> ClientSecrets.verifies(secret, c.secretHash()))
                .orElseThrow(() -> new OAuthFailure(OAuth2Error.INVALID_CLIENT, "unknown client or wrong secret"));
    }
}
