package custos.server.oauth;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import custos.server.http.WebFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
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
    private final PresentedTokens presentedTokens;
    private final TokenStore tokens;
    private final AccessTokens accessTokens;
    private final Clock clock;

    RevocationEndpoint(Jdbi jdbi, PresentedTokens presentedTokens, TokenStore tokens, AccessTokens accessTokens,
                       Clock clock) {
        this.jdbi = jdbi;
        this.presentedTokens = presentedTokens;
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.clock = clock;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.post("/oauth2/revoke", presentedTokens.handler("/oauth2/revoke", TokenRevocationRequest::parse,
                TokenRevocationRequest::getToken, this::revoke));
    }

    private void revoke(PresentedToken presented, ServerResponse res) {
        List<Long> revoked = jdbi.inTransaction(h -> tokens.findForUpdate(h, presented.value())
                .filter(t -> t.clientId().equals(presented.client().clientId()))
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
