package custos.server.oauth;

import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import custos.consent.ConsentStore;
import custos.data.Scope;
import custos.server.http.WebFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /oauth2/introspect} (RFC 7662), for authenticated clients. A token is reported active only to a client
 * of the partner it was issued to (others learn nothing, RFC 7662 §4), and only while it is unrevoked, unexpired and,
 * for a personal token, its consent is still live.
 */
final class IntrospectionEndpoint implements WebFeature {
    private final PresentedTokens presentedTokens;
    private final TokenStore tokens;
    private final ConsentStore consents;
    private final OAuthSettings settings;
    private final Clock clock;

    IntrospectionEndpoint(PresentedTokens presentedTokens, TokenStore tokens, ConsentStore consents, OAuthSettings settings,
                          Clock clock) {
        this.presentedTokens = presentedTokens;
        this.tokens = tokens;
        this.consents = consents;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.post("/oauth2/introspect", presentedTokens.handler("/oauth2/introspect", TokenIntrospectionRequest::parse,
                TokenIntrospectionRequest::getToken, this::introspect));
    }

    private void introspect(PresentedToken presented, ServerResponse res) {
        Instant now = clock.instant();
        Optional<StoredToken> token = tokens.find(presented.value())
                .filter(t -> t.partnerId() == presented.client().partnerId())
                .filter(t -> t.activeAt(now))
                .filter(t -> t.consentId() == null || consents.find(t.consentId()).map(c -> c.liveAt(now)).orElse(false));
        if (token.isEmpty()) {
            NimbusHttp.send(res, new TokenIntrospectionSuccessResponse.Builder(false).build().toHTTPResponse());
            return;
        }
        StoredToken t = token.get();
        com.nimbusds.oauth2.sdk.Scope scope = new com.nimbusds.oauth2.sdk.Scope();
        t.scopes().stream().map(Scope::toString).sorted().forEach(scope::add);
        var builder = new TokenIntrospectionSuccessResponse.Builder(true)
                .clientID(new ClientID(t.clientId()))
                .issuer(new Issuer(settings.issuer().get()))
                .issueTime(Date.from(t.issuedAt()))
                .expirationTime(Date.from(t.expiresAt()))
                .parameter("custos_partner_id", t.partnerId())
                .parameter("token_kind", t.kind() == TokenKind.ACCESS ? "access_token" : "refresh_token");
        if (t.kind() == TokenKind.ACCESS) {
            builder.tokenType(AccessTokenType.BEARER);
        }
        if (!scope.isEmpty()) {
            builder.scope(scope);
        }
        if (t.personId() != null) {
            builder.subject(new Subject(String.valueOf(t.personId())))
                    .authorizationDetails(List.of(TokenEndpoint.purposeDetail(t.purpose(), t.scopes())))
                    .parameter("consent_id", t.consentId());
        }
        NimbusHttp.send(res, builder.build().toHTTPResponse());
    }
}
