package custos.server.oauth;

import custos.data.Scope;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** One-time authorization codes by SHA-256 hash, each opening a new grant family. */
final class AuthorizationCodes {

    /**
     * What a code was issued for. {@code redeemedAt} is set once its own client has presented it, whether that
     * exchange issued tokens or failed.
     */
    record Code(UUID familyId, String clientId, long partnerId, long personId, String purpose, Set<Scope> scopes,
                long consentId, URI redirectUri, String codeChallenge, Instant expiresAt, Instant redeemedAt) {
        Code {
            scopes = Set.copyOf(scopes);
        }
    }

    private final Jdbi jdbi;

    AuthorizationCodes(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    OpaqueToken issue(String clientId, long partnerId, long personId, String purpose, Set<Scope> scopes, long consentId,
                      URI redirectUri, String codeChallenge, Instant now, Instant expiresAt) {
        OpaqueToken code = OpaqueToken.random();
        jdbi.useHandle(h -> h.createUpdate("insert into oauth_codes (code_hash, family_id, client_id, partner_id, person_id,"
                        + " purpose, scopes, consent_id, redirect_uri, code_challenge, issued_at, expires_at) values (:hash,"
                        + " :family, :client, :partner, :person, :purpose, :scopes, :consent, :redirect, :challenge, :now, :expires)")
                .bind("hash", code.hash()).bind("family", UUID.randomUUID()).bind("client", clientId)
                .bind("partner", partnerId).bind("person", personId).bind("purpose", purpose)
                .bind("scopes", scopes.stream().map(Scope::toString).sorted().toArray(String[]::new))
                .bind("consent", consentId).bind("redirect", redirectUri.toString()).bind("challenge", codeChallenge)
                .bind("now", Timestamp.from(now)).bind("expires", Timestamp.from(expiresAt)).execute());
        return code;
    }

    /**
     * Finds a code with its row locked until the transaction ends: of two concurrent exchanges the second waits and
     * then sees what the first did with it.
     */
    Optional<Code> findForUpdate(Handle h, String code) {
        return h.createQuery("select family_id, client_id, partner_id, person_id, purpose, scopes, consent_id,"
                        + " redirect_uri, code_challenge, expires_at, redeemed_at from oauth_codes where code_hash = :hash for update")
                .bind("hash", OpaqueToken.hash(code))
                .map((rs, ctx) -> new Code(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getString(5), TokenStore.scopes(rs.getArray(6)), rs.getLong(7), URI.create(rs.getString(8)),
                        rs.getString(9), TokenStore.instant(rs, 10), TokenStore.instant(rs, 11)))
                .findOne();
    }

    /** Marks a code presented: it can never be exchanged again, whether this exchange issues tokens or not. */
    void spend(Handle h, String code, Instant now) {
        h.createUpdate("update oauth_codes set redeemed_at = :now where code_hash = :hash and redeemed_at is null")
                .bind("hash", OpaqueToken.hash(code)).bind("now", Timestamp.from(now)).execute();
    }
}
