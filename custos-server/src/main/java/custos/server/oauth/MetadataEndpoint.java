package custos.server.oauth;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import custos.data.Scope;
import custos.server.http.WebFeature;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import java.net.URI;
import java.util.List;

/**
 * {@code /.well-known/oauth-authorization-server} (RFC 8414 metadata), every URL in it under the configured issuer.
 * No {@code jwks_uri}: tokens are opaque and the server signs nothing a client verifies (RFC 8414 makes it optional).
 */
final class MetadataEndpoint implements WebFeature {
    private static final List<ClientAuthenticationMethod> AUTH_METHODS =
            List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);

    private final OAuthSettings settings;

    MetadataEndpoint(OAuthSettings settings) {
        this.settings = settings;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/.well-known/oauth-authorization-server", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
            res.send(metadata().toJSONObject().toJSONString());
        });
    }

    AuthorizationServerMetadata metadata() {
        AuthorizationServerMetadata m = new AuthorizationServerMetadata(new Issuer(settings.issuer().get()));
        m.setAuthorizationEndpointURI(URI.create(settings.endpoint("/oauth2/authorize")));
        m.setTokenEndpointURI(URI.create(settings.endpoint("/oauth2/token")));
        m.setIntrospectionEndpointURI(URI.create(settings.endpoint("/oauth2/introspect")));
        m.setRevocationEndpointURI(URI.create(settings.endpoint("/oauth2/revoke")));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setResponseModes(List.of(ResponseMode.QUERY));
        m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        m.setTokenEndpointAuthMethods(AUTH_METHODS);
        m.setIntrospectionEndpointAuthMethods(AUTH_METHODS);
        m.setRevocationEndpointAuthMethods(AUTH_METHODS);
        m.setAuthorizationDetailsTypes(List.of(new AuthorizationType(AuthorizationRequests.PURPOSE_TYPE)));
        m.setSupportsAuthorizationResponseIssuerParam(true);
        com.nimbusds.oauth2.sdk.Scope scopes = new com.nimbusds.oauth2.sdk.Scope();
        Scope.SERVED.forEach(s -> scopes.add(s.toString()));
        m.setScopes(scopes);
        return m;
    }
}
