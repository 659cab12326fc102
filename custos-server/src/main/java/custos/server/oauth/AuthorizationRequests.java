package custos.server.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import custos.partner.PartnerClient;
import custos.partner.PartnerEntry;
import custos.data.Scope;
import java.net.URI;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses (with Nimbus) and validates an authorization request, in the order RFC 6749 and RFC 9700 demand: client and
 * exact redirect URI first (errors before that point are never redirected), then response type, PKCE (S256 only),
 * and the RFC 9396 {@code custos_purpose} authorization detail against the partner's agreement.
 */
final class AuthorizationRequests {
    private static final java.util.regex.Pattern S256_CHALLENGE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    static final String PURPOSE_TYPE = "custos_purpose";

    private final PartnerDirectory directory;
    private final Clock clock;

    AuthorizationRequests(PartnerDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    ValidAuthorization validate(String query) throws AuthorizeError {
        if (query != null && query.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // A query carried through the forms comes back as text; control characters never belong in one.
            throw new AuthorizeError(OAuth2Error.INVALID_REQUEST.setDescription("the request holds control characters"),
                    null, null);
        }
        var parameters = URLUtils.parseParameters(query == null ? "" : query);
        var twice = NimbusHttp.repeated(parameters);
        if (twice.isPresent()) {
            // RFC 6749 §3.1: no parameter twice. Which client_id or redirect_uri was meant is unknown: no redirect.
            throw new AuthorizeError(OAuth2Error.INVALID_REQUEST.setDescription(twice.get() + " is given more than once"),
                    null, null);
        }
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.parse(parameters);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
            URI trusted = trustedRedirect(e.getClientID(), e.getRedirectionURI());
            throw new AuthorizeError(error.setDescription(e.getMessage()), trusted, e.getState());
        }
        PartnerClient client = directory.client(request.getClientID().getValue()).orElseThrow(() -> new AuthorizeError(
                OAuth2Error.INVALID_CLIENT.setDescription("unknown client " + request.getClientID()), null, null));
        URI redirect = request.getRedirectionURI();
        if (redirect == null || !client.redirectUris().contains(redirect.toString())) {
            throw new AuthorizeError(OAuth2Error.INVALID_REQUEST.setDescription(redirect == null
                    ? "redirect_uri is required" : "redirect_uri is not registered for this client: " + redirect), null, null);
        }
        State state = request.getState();
        try {
            return check(client, redirect, state, query, request);
        } catch (OAuthFailure f) {
            throw new AuthorizeError(f.error(), redirect, state);
        }
    }

    private ValidAuthorization check(PartnerClient client, URI redirect, State state, String query, AuthorizationRequest request)
            throws OAuthFailure {
        if (!ResponseType.CODE.equals(request.getResponseType())) {
            throw new OAuthFailure(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "only response_type=code is supported");
        }
        if (request.getCodeChallenge() == null) {
            throw new OAuthFailure(OAuth2Error.INVALID_REQUEST, "PKCE is required: send code_challenge with method S256");
        }
        if (!CodeChallengeMethod.S256.equals(request.getCodeChallengeMethod())) {
            throw new OAuthFailure(OAuth2Error.INVALID_REQUEST, "code_challenge_method must be S256");
        }
        if (!S256_CHALLENGE.matcher(request.getCodeChallenge().getValue()).matches()) {
            // RFC 7636 §4.2: an S256 challenge is the unpadded base64url of a SHA-256 digest, 43 characters.
            throw new OAuthFailure(OAuth2Error.INVALID_REQUEST, "code_challenge must be the 43-character base64url"
                    + " SHA-256 of the code verifier");
        }
        AuthorizationDetail detail = purposeDetail(request.getAuthorizationDetails());
        String purpose = detail.getStringField("purpose");
        if (purpose == null || purpose.isBlank()) {
            throw new OAuthFailure(OAuth2Error.INVALID_AUTHORIZATION_DETAILS, "the custos_purpose entry must name a purpose");
        }
        Set<Scope> scopes = scopes(detail, request.getScope());
        PartnerEntry partner = directory.partner(client.partnerId()).orElseThrow(() ->
                new OAuthFailure(OAuth2Error.INVALID_CLIENT, "the client's partner is not registered"));
        PurposeAuthority authority = PurposeAuthority.check(partner, purpose, scopes, clock.instant());
        return new ValidAuthorization(client, authority, scopes, redirect, state, request.getCodeChallenge().getValue(), query);
    }

    private static AuthorizationDetail purposeDetail(List<AuthorizationDetail> details) throws OAuthFailure {
        if (details == null || details.isEmpty()) {
            throw new OAuthFailure(OAuth2Error.INVALID_AUTHORIZATION_DETAILS,
                    "authorization_details must hold one entry of type custos_purpose naming the purpose");
        }
        if (details.size() != 1 || !PURPOSE_TYPE.equals(details.get(0).getType().getValue())) {
            throw new OAuthFailure(OAuth2Error.INVALID_AUTHORIZATION_DETAILS,
                    "authorization_details must hold exactly one entry, of type custos_purpose");
        }
        return details.get(0);
    }

    private static Set<Scope> scopes(AuthorizationDetail detail, com.nimbusds.oauth2.sdk.Scope scopeParam) throws OAuthFailure {
        Set<Scope> fromDetail = null;
        if (detail.getField("scopes") != null) {
            List<String> listed = detail.getStringListField("scopes");
            if (listed == null) {
                throw new OAuthFailure(OAuth2Error.INVALID_AUTHORIZATION_DETAILS, "scopes must be a list of strings");
            }
            fromDetail = parse(listed);
        }
        Set<Scope> fromParam = scopeParam == null ? null : parse(scopeParam.toStringList());
        if (fromDetail != null && fromParam != null && !fromDetail.equals(fromParam)) {
            throw new OAuthFailure(OAuth2Error.INVALID_REQUEST,
                    "scope and the scopes of the custos_purpose entry differ; send one or make them equal");
        }
        Set<Scope> scopes = fromDetail != null ? fromDetail : fromParam;
        if (scopes == null || scopes.isEmpty()) {
            throw new OAuthFailure(OAuth2Error.INVALID_SCOPE, "no scopes requested");
        }
        return scopes;
    }

    private static Set<Scope> parse(List<String> values) throws OAuthFailure {
        Set<Scope> scopes = new HashSet<>();
        for (String v : values) {
            try {
                scopes.add(Scope.parse(v));
            } catch (IllegalArgumentException e) {
                throw new OAuthFailure(OAuth2Error.INVALID_SCOPE, e.getMessage());
            }
        }
        return scopes;
    }

    private URI trustedRedirect(ClientID clientId, URI redirect) {
        if (clientId == null || redirect == null) {
            return null;
        }
        return directory.client(clientId.getValue())
                .filter(c -> c.redirectUris().contains(redirect.toString()))
                .map(c -> redirect).orElse(null);
    }
}
