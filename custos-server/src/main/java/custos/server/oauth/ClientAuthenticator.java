package custos.server.oauth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import custos.partner.ClientSecrets;
import custos.partner.PartnerClient;

/**
 * Checks client_secret_basic and client_secret_post credentials (parsed by Nimbus) against the stored secret hash.
 * Failures are counted per client id and per address ({@link LoginThrottle}, the people's sign-in throttle with the
 * client limits below); past either limit the secret is not even checked, so guessing stops paying off.
 */
final class ClientAuthenticator {
    /** Per client id, per address, per window: a partner's own misconfigured retry loop is slowed too, and that is fine. */
    static final LoginThrottle.Limits LIMITS = new LoginThrottle.Limits(10, 30, java.time.Duration.ofMinutes(10));

    private static final String DECOY = ClientSecrets.hash("not the secret of any client");

    private final PartnerDirectory directory;
    private final LoginThrottle throttle;

    ClientAuthenticator(PartnerDirectory directory, LoginThrottle throttle) {
        this.directory = directory;
        this.throttle = throttle;
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

    PartnerClient authenticate(ClientAuthentication auth, String address) throws OAuthFailure {
        if (auth == null) {
            throw missingCredentials();
        }
        String secret = switch (auth) {
            case ClientSecretBasic basic -> basic.getClientSecret().getValue();
            case ClientSecretPost post -> post.getClientSecret().getValue();
            default -> throw new OAuthFailure(OAuth2Error.INVALID_CLIENT,
                    "unsupported client authentication method " + auth.getMethod());
        };
        String clientId = auth.getClientID().getValue();
        LoginThrottle.Admission admission = throttle.admit(clientId, address);
        if (admission instanceof LoginThrottle.Admission.Refused refused) {
            throw OAuthFailure.throttled(OAuth2Error.INVALID_CLIENT, "too many failed client authentications for this"
                    + " client or from this address; retry after " + Math.max(1, refused.retryAfter().toSeconds())
                    + " seconds", refused.retryAfter());
        }
        var found = directory.client(clientId);
        // An unknown client costs one hash check too, so the time taken does not tell a guesser which ids exist.
        boolean verified = ClientSecrets.verifies(secret, found.map(PartnerClient::secretHash).orElse(DECOY));
        PartnerClient client = found.filter(c -> verified)
                .orElseThrow(() -> new OAuthFailure(OAuth2Error.INVALID_CLIENT, "unknown client or wrong secret"));
        throttle.succeeded((LoginThrottle.Admission.Admitted) admission);
        if (ClientSecrets.needsRehash(client.secretHash())) {
            directory.replaceSecretHash(clientId, client.secretHash(), ClientSecrets.hash(secret));
        }
        return client;
    }
}
