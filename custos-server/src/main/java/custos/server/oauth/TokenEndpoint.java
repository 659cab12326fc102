package custos.server.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import custos.consent.Consent;
import custos.consent.ConsentStore;
import custos.partner.PartnerClient;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.data.Scope;
import custos.server.http.WebFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /oauth2/token}: authorization_code (with the PKCE verifier), refresh_token (rotated on every use) and
 * client_credentials, for clients authenticated with their secret. Other grants (implicit, password, ...) are
 * refused. A replayed code or a reused refresh token revokes every token of its grant family (RFC 9700 §4.5, §4.14).
 * Every grant is re-checked against the partner's agreement and the consent at the moment of the exchange.
 */
final class TokenEndpoint implements WebFeature {
    private final Jdbi jdbi;
    private final ClientAuthenticator clients;
    private final PartnerDirectory directory;
    private final AuthorizationCodes codes;
    private final TokenStore tokens;
    private final TokenRevocations revocations;
    private final ConsentStore consents;
    private final OAuthSettings settings;
    private final Clock clock;

    /** The answer of an exchange, decided inside its transaction; revocations commit even when the answer is an error. */
    private record Outcome(AccessTokenResponse tokens, ErrorObject error, List<Long> revoked) {
        static Outcome failed(ErrorObject error, String description, List<Long> revoked) {
            return new Outcome(null, error.setDescription(description), revoked);
        }
    }

    TokenEndpoint(Jdbi jdbi, ClientAuthenticator clients, PartnerDirectory directory, AuthorizationCodes codes,
                  TokenStore tokens, TokenRevocations revocations, ConsentStore consents, OAuthSettings settings, Clock clock) {
        this.jdbi = jdbi;
        this.clients = clients;
        this.directory = directory;
        this.codes = codes;
        this.tokens = tokens;
        this.revocations = revocations;
        this.consents = consents;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.post("/oauth2/token", this::token);
    }

    private void token(ServerRequest req, ServerResponse res) {
        TokenRequest request;
        try {
            com.nimbusds.oauth2.sdk.http.HTTPRequest http = NimbusHttp.request(req, URI.create(settings.endpoint("/oauth2/token")));
            if (!ClientAuthenticator.presentsCredentials(http)) {
                NimbusHttp.sendError(res, ClientAuthenticator.missingCredentials().error());
                return;
            }
            request = TokenRequest.parse(http);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
            NimbusHttp.sendError(res, error.setDescription(e.getMessage()));
            return;
        }
        Outcome outcome;
        try {
            PartnerClient client = clients.authenticate(request.getClientAuthentication(), custos.server.http.ClientAddress.of(req));
            AuthorizationGrant grant = request.getAuthorizationGrant();
            outcome = switch (grant) {
                case AuthorizationCodeGrant code -> jdbi.inTransaction(h -> exchangeCode(h, client, code));
                case RefreshTokenGrant refresh -> jdbi.inTransaction(h -> refresh(h, client, refresh, request.getScope()));
                case ClientCredentialsGrant ignored -> jdbi.inTransaction(h -> clientCredentials(h, client, request.getScope()));
                default -> Outcome.failed(OAuth2Error.UNSUPPORTED_GRANT_TYPE,
                        "grant type " + grant.getType() + " is not supported", List.of());
            };
        } catch (OAuthFailure f) {
            if (f.retryAfter() != null) {
                NimbusHttp.sendError(res, f);
                return;
            }
            outcome = new Outcome(null, f.error(), List.of());
        }
        // A reused refresh token or a replayed code answers only once no instance accepts the grant's tokens.
        revocations.effective(outcome.revoked());
        if (outcome.error() != null) {
            NimbusHttp.sendError(res, outcome.error());
        } else {
            NimbusHttp.send(res, outcome.tokens().toHTTPResponse());
        }
    }

    private Outcome exchangeCode(Handle h, PartnerClient client, AuthorizationCodeGrant grant) {
        Instant now = clock.instant();
        String value = grant.getAuthorizationCode().getValue();
        var found = codes.findForUpdate(h, value);
        if (found.isEmpty()) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "unknown authorization code", List.of());
        }
        AuthorizationCodes.Code code = found.get();
        if (!code.clientId().equals(client.clientId())) {
            // The presenter has proved by its own authentication that it is not the code's holder: nothing it sends
            // spends the code or revokes the grant of the partner the code was issued to.
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "the code was issued to another client", List.of());
        }
        if (code.redeemedAt() != null) {
            if (tokens.familyIssued(h, code.familyId())) {
                // A real replay (RFC 6749 §4.1.2, RFC 9700 §4.5): someone else may hold the tokens; end them all.
                List<Long> revoked = tokens.revokeFamily(h, code.familyId(), now);
                return Outcome.failed(OAuth2Error.INVALID_GRANT,
                        "authorization code already used; every token issued from it is now revoked", revoked);
            }
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "the authorization code was already presented in an"
                    + " exchange that failed and cannot be presented again; no token was issued from it; start a new"
                    + " authorization request", List.of());
        }
        if (!now.isBefore(code.expiresAt())) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "the authorization code has expired", List.of());
        }
        // Its own client presents it in time: this is the code's one exchange, whatever its outcome. A failed one
        // issues nothing and revokes nothing, and says why; a retry is told the code is spent, not that it was replayed.
        codes.spend(h, value, now);
        if (grant.getRedirectionURI() == null || !grant.getRedirectionURI().equals(code.redirectUri())) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "redirect_uri must equal the one of the authorization"
                    + " request; the code is spent, start a new authorization request", List.of());
        }
        if (!verifierMatches(grant.getCodeVerifier(), code.codeChallenge())) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "the PKCE code_verifier does not match the code_challenge;"
                    + " the code is spent, start a new authorization request", List.of());
        }
        TokenStore.Grant tokenGrant = new TokenStore.Grant(code.familyId(), client.clientId(), code.partnerId(),
                code.personId(), code.purpose(), code.scopes(), code.consentId());
        return issuePersonal(h, tokenGrant, code.scopes(), now, null);
    }

    private Outcome refresh(Handle h, PartnerClient client, RefreshTokenGrant grant, com.nimbusds.oauth2.sdk.Scope narrower) {
        Instant now = clock.instant();
        var found = tokens.findForUpdate(h, grant.getRefreshToken().getValue());
        if (found.isEmpty() || found.get().kind() != TokenKind.REFRESH || !found.get().clientId().equals(client.clientId())) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "unknown refresh token", List.of());
        }
        StoredToken old = found.get();
        if (old.revokedAt() != null) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "the refresh token was revoked", List.of());
        }
        if (old.rotatedAt() != null) {
            List<Long> revoked = tokens.revokeFamily(h, old.familyId(), now);
            return Outcome.failed(OAuth2Error.INVALID_GRANT,
                    "refresh token already used; every token of this grant is now revoked", revoked);
        }
        if (!now.isBefore(old.expiresAt())) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "the refresh token has expired", List.of());
        }
        Set<Scope> accessScopes = old.scopes();
        if (narrower != null) {
            Set<Scope> asked = new HashSet<>();
            for (String s : narrower.toStringList()) {
                try {
                    asked.add(Scope.parse(s));
                } catch (IllegalArgumentException e) {
                    return Outcome.failed(OAuth2Error.INVALID_SCOPE, e.getMessage(), List.of());
                }
            }
            if (!old.scopes().containsAll(asked)) {
                return Outcome.failed(OAuth2Error.INVALID_SCOPE, "a refresh can only narrow the granted scopes", List.of());
            }
            accessScopes = asked;
        }
        tokens.rotate(h, old.id(), now);
        // RFC 6749 §6: a narrower scope narrows the new access token only; the rotated refresh token keeps the grant's
        // scope exactly, so a later refresh may ask for all of it again.
        return issuePersonal(h, new TokenStore.Grant(old.familyId(), client.clientId(), old.partnerId(), old.personId(),
                old.purpose(), old.scopes(), old.consentId()), accessScopes, now, old.expiresAt());
    }

    /**
     * Issues an access token for {@code accessScopes} (within the grant's) and a refresh token carrying the grant's
     * scopes, after checking the agreement and the consent as they stand now. The refresh token's scopes are a ceiling,
     * not a permission: every access token issued from it is cut again to the consent of its moment.
     */
    private Outcome issuePersonal(Handle h, TokenStore.Grant grant, Set<Scope> accessScopes, Instant now,
                                  Instant refreshNotAfter) {
        PartnerEntry partner = directory.partner(grant.partnerId()).orElse(null);
        Consent consent = consents.find(grant.consentId()).orElse(null);
        if (partner == null || consent == null) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, "the grant's partner or consent no longer exists", List.of());
        }
        if (!consent.liveAt(now)) {
            return Outcome.failed(OAuth2Error.INVALID_GRANT, consent.withdrawnBy(now)
                    ? "the person withdrew the consent" : "the consent has expired and must be renewed", List.of());
        }
        // Never more than the consent now holds: a renewal may have narrowed it.
        Set<Scope> scopes = new HashSet<>(accessScopes);
        scopes.retainAll(consent.scopes());
        try {
            PurposeAuthority.check(partner, grant.purpose(), scopes, now);
        } catch (OAuthFailure f) {
            return new Outcome(null, OAuth2Error.INVALID_GRANT.setDescription(f.error().getDescription()), List.of());
        }
        TokenStore.Grant bound = new TokenStore.Grant(grant.familyId(), grant.clientId(), grant.partnerId(),
                grant.personId(), grant.purpose(), scopes, grant.consentId());
        Instant accessUntil = min(now.plus(settings.accessTokenTtl()), consent.validUntil());
        Instant refreshUntil = min(now.plus(settings.refreshTokenTtl()), consent.validUntil());
        if (refreshNotAfter != null) {
            refreshUntil = min(refreshUntil, refreshNotAfter.plus(settings.refreshTokenTtl()));
        }
        TokenStore.Issued access = tokens.issue(h, TokenKind.ACCESS, bound, now, accessUntil);
        TokenStore.Issued refresh = tokens.issue(h, TokenKind.REFRESH, grant, now, refreshUntil);
        return new Outcome(response(access, new RefreshToken(refresh.token().value()), bound, now), null, List.of());
    }

    private Outcome clientCredentials(Handle h, PartnerClient client, com.nimbusds.oauth2.sdk.Scope scope) {
        Instant now = clock.instant();
        if (scope != null && !scope.isEmpty()) {
            return Outcome.failed(OAuth2Error.INVALID_SCOPE, "client-credentials tokens reach only the partner's own"
                    + " endpoints and carry no personal-data scopes; ask a person through the authorization code flow", List.of());
        }
        PartnerEntry partner = directory.partner(client.partnerId()).orElse(null);
        if (partner == null || partner.partner().status() != PartnerStatus.ACTIVE) {
            return Outcome.failed(OAuth2Error.UNAUTHORIZED_CLIENT, "the partner is not active", List.of());
        }
        if (partner.agreements().stream().noneMatch(a -> a.inForceAt(now))) {
            return Outcome.failed(OAuth2Error.UNAUTHORIZED_CLIENT, "the partner has no agreement in force", List.of());
        }
        TokenStore.Grant grant = new TokenStore.Grant(UUID.randomUUID(), client.clientId(), client.partnerId(), null, null,
                Set.of(), null);
        TokenStore.Issued access = tokens.issue(h, TokenKind.ACCESS, grant, now, now.plus(settings.accessTokenTtl()));
        return new Outcome(response(access, null, grant, now), null, List.of());
    }

    private static AccessTokenResponse response(TokenStore.Issued access, RefreshToken refresh, TokenStore.Grant grant,
                                                Instant now) {
        long lifetime = Math.max(0, access.expiresAt().getEpochSecond() - now.getEpochSecond());
        com.nimbusds.oauth2.sdk.Scope scope = new com.nimbusds.oauth2.sdk.Scope();
        grant.scopes().stream().map(Scope::toString).sorted().forEach(scope::add);
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        if (grant.purpose() != null) {
            // RFC 9396 §7: the token response names the authorization details the token carries.
            extra.put("authorization_details", AuthorizationDetail.toJSONArray(List.of(purposeDetail(grant))));
        }
        return new AccessTokenResponse(new Tokens(new BearerAccessToken(access.token().value(), lifetime,
                scope.isEmpty() ? null : scope), refresh), extra);
    }

    static AuthorizationDetail purposeDetail(TokenStore.Grant grant) {
        return purposeDetail(grant.purpose(), grant.scopes());
    }

    static AuthorizationDetail purposeDetail(String purpose, Set<Scope> scopes) {
        return new AuthorizationDetail.Builder(new AuthorizationType(AuthorizationRequests.PURPOSE_TYPE))
                .field("purpose", purpose)
                .field("scopes", new ArrayList<>(scopes.stream().map(Scope::toString).sorted().toList()))
                .build();
    }

    private static boolean verifierMatches(CodeVerifier verifier, String challenge) {
        if (verifier == null) {
            return false;
        }
        return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue().equals(challenge);
    }

    private static Instant min(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }
}
