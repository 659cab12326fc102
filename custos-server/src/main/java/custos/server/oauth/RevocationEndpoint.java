package custos.server.oauth;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import custos.server.http.WebFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /oauth2/revoke} (RFC 7009), for authenticated clients. Revoking a refresh token ends its whole grant
 * (every access token issued under it too); revoking an access token ends that token. Unknown tokens, or tokens of
 * another client, get the same empty 200 so nothing is learned from the answer. The answer comes only once no gateway
 * instance accepts the token any more ({@link TokenRevocations}).
 */
final class RevocationEndpoint implements WebFeature {
    private final PresentedTokens presentedTokens;
    private final TokenRevocations revocations;

    RevocationEndpoint(PresentedTokens presentedTokens, TokenRevocations revocations) {
        this.presentedTokens = presentedTokens;
        this.revocations = revocations;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.post("/oauth2/revoke", presentedTokens.handler("/oauth2/revoke", TokenRevocationRequest::parse,
                TokenRevocationRequest::getToken, this::revoke));
    }

    private void revoke(PresentedToken presented, ServerResponse res) {
        revocations.revokePresented(presented.client().clientId(), presented.value());
        res.status(Status.OK_200);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }
}
