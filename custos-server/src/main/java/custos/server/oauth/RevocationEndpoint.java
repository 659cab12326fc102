package custos.server.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import custos.partner.PartnerClient;
import custos.server.http.WebFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /oauth2/revoke} (RFC 7009), for authenticated clients. Revoking a refresh token ends its whole grant
 * (every access token issued under it too); revoking an access token ends that token. Unknown tokens, or tokens of
 * another client, get the same empty 200 so nothing is learned from the answer.
 */
final class RevocationEndpoint implements WebFeature {
    private final Jdbi jdbi;
    private final ClientAuthenticator clients;
    private final TokenStore tokens;
    private final AccessTokens accessTokens;
    private final OAuthSettings settings;
    private final Clock clock;

    RevocationEndpoint(Jdbi jdbi, ClientAuthenticator clients, TokenStore tokens, AccessTokens accessTokens,
                       OAuthSettings settings, Clock clock) {
        this.jdbi = jdbi;
        this.clients = clients;
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.post("/oauth2/revoke", this::revoke);
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        TokenRevocationRequest request;
        PartnerClient client;
        try {
            request = TokenRevocationRequest.parse(NimbusHttp.request(req, URI.create(settings.endpoint("/oauth2/revoke"))));
            client = clients.authenticate(request.getClientAuthentication());
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
            NimbusHttp.sendError(res, error.setDescription(e.getMessage()));
            return;
        } catch (OAuthFailure f) {
            NimbusHttp.sendError(res, f.error());
            return;
        }
        String value = request.getToken().getValue();
        List<Long> revoked = jdbi.inTransaction(h -> tokens.findForUpdate(h, value)
                .filter(t -> t.clientId().equals(client.clientId()))
                .map(t -> t.kind() == TokenKind.REFRESH
                        ? tokens.revokeFamily(h, t.familyId(), clock.instant())
                        : tokens.revoke(h, t.id(), clock.instant()))
                .orElse(List.of()));
        accessTokens.evict(revoked);
        res.status(Status.OK_200);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }
}
