package custos.server.oauth;

import com.nimbusds.oauth2.sdk.AbstractOptionallyAuthenticatedRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.Token;
import custos.partner.PartnerClient;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The front of the endpoints a client presents one token to (RFC 7662 introspection, RFC 7009 revocation): parses
 * the request with Nimbus and authenticates the client, answers a malformed request or a failed authentication with
 * the OAuth error (RFC 6749 §5.2), and hands the endpoint only tokens that an authenticated client presented.
 */
final class PresentedTokens {
    /** Nimbus's parser of one request type; both request types have a static {@code parse(HTTPRequest)}. */
    interface Parser<R extends AbstractOptionallyAuthenticatedRequest> {
        R parse(HTTPRequest http) throws ParseException;
    }

    private final ClientAuthenticator clients;
    private final OAuthSettings settings;

    PresentedTokens(ClientAuthenticator clients, OAuthSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    /**
     * The handler for {@code path}: parses, authenticates, then calls {@code endpoint}. Nimbus declares the token
     * getter on each request type rather than on their common base, hence {@code token}.
     */
    <R extends AbstractOptionallyAuthenticatedRequest> Handler handler(String path, Parser<R> parser,
            Function<R, Token> token, BiConsumer<PresentedToken, ServerResponse> endpoint) {
        return (req, res) -> {
            R request;
            PartnerClient client;
            try {
                HTTPRequest http = NimbusHttp.request(req, URI.create(settings.endpoint(path)));
                if (!ClientAuthenticator.presentsCredentials(http)) {
                    throw ClientAuthenticator.missingCredentials();
                }
                request = parser.parse(http);
                client = clients.authenticate(request.getClientAuthentication(), custos.server.http.ClientAddress.of(req));
            } catch (ParseException e) {
                ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
                NimbusHttp.sendError(res, error.setDescription(e.getMessage()));
                return;
            } catch (OAuthFailure f) {
                NimbusHttp.sendError(res, f);
                return;
            }
            endpoint.accept(new PresentedToken(client, token.apply(request).getValue()), res);
        };
    }
}
