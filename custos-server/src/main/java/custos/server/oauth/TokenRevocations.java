package custos.server.oauth;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Ends tokens so that no gateway instance accepts them once the call returns (invariant 4): the revocation commits
 * (appending one {@code oauth_token} entry per token to the change feed), this instance's cache drops the tokens,
 * and the change barrier waits until every other instance has applied those entries, which drops them from its cache.
 */
public final class TokenRevocations {
    private final Jdbi jdbi;
    private final TokenStore tokens;
    private final AccessTokens accessTokens;
    private final Clock clock;
    private final Runnable awaitEverywhere;

    TokenRevocations(Jdbi jdbi, TokenStore tokens, AccessTokens accessTokens, Clock clock, Runnable awaitEverywhere) {
        this.jdbi = jdbi;
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.clock = clock;
        this.awaitEverywhere = awaitEverywhere;
    }

    /**
     * RFC 7009: a client revokes one of its own tokens; a refresh token takes every token of its grant with it.
     * An unknown token, or another client's, revokes nothing. Returns the ids revoked.
     */
    List<Long> revokePresented(String clientId, String token) {
        List<Long> revoked = jdbi.inTransaction(h -> tokens.findForUpdate(h, token)
                .filter(t -> t.clientId().equals(clientId))
                .map(t -> t.kind() == TokenKind.REFRESH
                        ? tokens.revokeFamily(h, t.familyId(), clock.instant())
                        : tokens.revoke(h, t.id(), clock.instant()))
                .orElse(List.of()));
        effective(revoked);
        return revoked;
    }

    /** Ends every token of one grant (the access and refresh tokens issued from one authorization); returns their ids. */
    public List<Long> revokeGrant(UUID familyId) {
        List<Long> revoked = jdbi.inTransaction(h -> tokens.revokeFamily(h, familyId, clock.instant()));
        effective(revoked);
        return revoked;
    }

    /** Ends every token issued from one consent (its grants from every authorization); returns their ids. */
    List<Long> revokeConsent(long consentId) {
        List<Long> revoked = jdbi.inTransaction(h -> tokens.revokeConsent(h, consentId, clock.instant()));
        effective(revoked);
        return revoked;
    }

    /**
     * Makes revocations already committed by the caller's own transaction (a reused refresh token, a replayed code)
     * effective everywhere. Nothing revoked, nothing to wait for.
     */
    void effective(List<Long> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        accessTokens.evict(revoked);
        awaitEverywhere.run();
    }
}
