package custos.server.oauth;

import com.nimbusds.oauth2.sdk.id.State;
import custos.partner.PartnerClient;
import custos.data.Scope;
import java.net.URI;
import java.util.Set;

/**
 * An authorization request that passed every check: a registered client, its exact redirect URI, an S256 PKCE
 * challenge, and one purpose whose requested scopes the partner's agreement allows today. {@code query} is the
 * original query string, carried through login and the consent form and validated again on each step.
 */
record ValidAuthorization(PartnerClient client, PurposeAuthority authority, Set<Scope> scopes, URI redirectUri,
                          State state, String codeChallenge, String query) {
    ValidAuthorization {
        scopes = Set.copyOf(scopes);
    }
}
