package custos.server.oauth;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** Hands Helidon requests to Nimbus for parsing and Nimbus responses back to Helidon, untouched in between. */
final class NimbusHttp {
    private NimbusHttp() {}

    /**
     * The request as Nimbus sees it. Two Authorization headers are refused here (RFC 6749 §3.2: nothing may be sent
     * twice) rather than one being picked silently.
     */
    static HTTPRequest request(ServerRequest req, URI endpoint) throws com.nimbusds.oauth2.sdk.ParseException {
        if (req.headers().all(HeaderNames.AUTHORIZATION, List::of).size() > 1) {
            throw new com.nimbusds.oauth2.sdk.ParseException("send one Authorization header, not several",
                    com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_REQUEST);
        }
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.valueOf(req.prologue().method().text()), endpoint);
        req.headers().first(HeaderNames.CONTENT_TYPE).ifPresent(v -> http.setHeader("Content-Type", v));
        req.headers().first(HeaderNames.AUTHORIZATION).ifPresent(http::setAuthorization);
        String query = req.query().rawValue();
        if (query != null && !query.isEmpty()) {
            http.appendQueryString(query);
        }
        if (req.content().hasEntity()) {
            http.setBody(req.content().as(String.class));
        }
        Optional<String> twice = repeated(http.getQueryStringParameters())
                .or(() -> http.getBody() == null ? Optional.empty() : repeated(URLUtils.parseParameters(http.getBody())));
        if (twice.isPresent()) {
            throw new com.nimbusds.oauth2.sdk.ParseException(twice.get() + " is given more than once",
                    com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_REQUEST);
        }
        return http;
    }

    /** The first parameter given more than once (RFC 6749 §3.1, §3.2: none may be), if any. */
    static Optional<String> repeated(Map<String, List<String>> parameters) {
        return parameters.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).findFirst();
    }

    static void send(ServerResponse res, HTTPResponse http) {
        res.status(Status.create(http.getStatusCode()));
        for (Map.Entry<String, List<String>> header : http.getHeaderMap().entrySet()) {
            res.header(HeaderNames.create(header.getKey()), header.getValue().toArray(String[]::new));
        }
        String body = http.getBody();
        if (body == null) {
            res.send();
        } else {
            res.send(body);
        }
    }

    /** Sends an OAuth error; invalid_client also gets the WWW-Authenticate challenge RFC 6749 §5.2 asks for. */
    /** Sends the failure's OAuth error, with {@code Retry-After} when it is a throttle's. */
    static void sendError(ServerResponse res, OAuthFailure failure) {
        if (failure.retryAfter() != null) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, failure.retryAfter().toSeconds())));
        }
        sendError(res, failure.error());
    }

    static void sendError(ServerResponse res, com.nimbusds.oauth2.sdk.ErrorObject error) {
        if (com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"custos\"");
        }
        send(res, new com.nimbusds.oauth2.sdk.TokenErrorResponse(error).toHTTPResponse());
    }

    static void redirect(ServerResponse res, URI location) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, location.toString());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }
}
