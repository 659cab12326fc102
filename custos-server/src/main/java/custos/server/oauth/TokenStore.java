package custos.server.oauth;

import custos.data.Scope;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Access and refresh tokens in PostgreSQL, by SHA-256 hash. Every revocation also appends an {@code oauth_token}
 * entry to {@code policy_changes} in the same transaction, so other gateway instances tailing the feed can drop the
 * token from their caches.
 */
final class TokenStore {
    /** The {@code policy_changes} kind of a revoked token; ref_id is the token's row id. */
    static final String POLICY_CHANGE_KIND = "oauth_token";
    private static final String SELECT = "select id, kind, family_id, client_id, partner_id, person_id, purpose, scopes,"
            + " consent_id, issued_at, expires_at, rotated_at, revoked_at from oauth_tokens";

    /** A token's grant before it is issued: who for, which purpose and scopes, from which consent. */
    record Grant(UUID familyId, String clientId, long partnerId, Long personId, String purpose, Set<Scope> scopes,
                 Long consentId) {
        Grant {
            scopes = Set.copyOf(scopes);
        }
    }

    /** A freshly issued token: the value goes to the client once, the row id stays. */
    record Issued(OpaqueToken token, long id, Instant expiresAt) {}

    private final Jdbi jdbi;

    TokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Issued issue(Handle h, TokenKind kind, Grant g, Instant now, Instant expiresAt) {
        OpaqueToken token = OpaqueToken.random();
        long id = h.createUpdate("insert into oauth_tokens (token_hash, kind, family_id, client_id, partner_id, person_id,"
                        + " purpose, scopes, consent_id, issued_at, expires_at) values (:hash, :kind, :family, :client, :partner,"
                        + " :person, :purpose, :scopes, :consent, :issued, :expires)")
                .bind("hash", token.hash()).bind("kind", kind.code()).bind("family", g.familyId())
                .bind("client", g.clientId()).bind("partner", g.partnerId()).bind("person", g.personId())
                .bind("purpose", g.purpose()).bind("scopes", scopeArray(g.scopes())).bind("consent", g.consentId())
                .bind("issued", Timestamp.from(now)).bind("expires", Timestamp.from(expiresAt))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Issued(token, id, expiresAt);
    }

    Optional<StoredToken> find(String token) {
        return jdbi.withHandle(h -> find(h, token, false));
    }

    /** Finds a token and locks its row, so two exchanges of one refresh token cannot both succeed. */
    Optional<StoredToken> findForUpdate(Handle h, String token) {
        return find(h, token, true);
    }

    private static Optional<StoredToken> find(Handle h, String token, boolean lock) {
        return h.createQuery(SELECT + " where token_hash = :hash" + (lock ? " for update" : ""))
                .bind("hash", OpaqueToken.hash(token)).map(TokenStore::row).findOne();
    }

    /** Whether the consent was withdrawn at or before {@code revokedAt}: its withdrawal is what revoked the token. */
    boolean consentWithdrawnBy(long consentId, Instant revokedAt) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from consents where id = :c"
                        + " and withdrawn_at is not null and withdrawn_at <= :r)")
                .bind("c", consentId).bind("r", Timestamp.from(revokedAt)).mapTo(Boolean.class).one());
    }

    /** Marks a refresh token used; false if it was already used or revoked (the caller treats that as reuse). */
    boolean rotate(Handle h, long id, Instant now) {
        return h.createUpdate("update oauth_tokens set rotated_at = :now where id = :id and rotated_at is null and revoked_at is null")
                .bind("id", id).bind("now", Timestamp.from(now)).execute() == 1;
    }

    /** Revokes one token; returns the ids it revoked (empty if it was already revoked). */
    List<Long> revoke(Handle h, long id, Instant now) {
        return revokeWhere(h, "id = :key", id, now);
    }

    /** Whether any token, revoked or not, was ever issued in a grant family. */
    boolean familyIssued(Handle h, UUID familyId) {
        return h.createQuery("select exists (select 1 from oauth_tokens where family_id = :family)")
                .bind("family", familyId).mapTo(Boolean.class).one();
    }

    /** Revokes every token of a grant family; returns the ids it revoked. */
    List<Long> revokeFamily(Handle h, UUID familyId, Instant now) {
        return revokeWhere(h, "family_id = :key", familyId, now);
    }

    /** Revokes every token issued from one consent record (every grant family built on it); returns the ids revoked. */
    List<Long> revokeConsent(Handle h, long consentId, Instant now) {
        return revokeWhere(h, "consent_id = :key", consentId, now);
    }

    private static List<Long> revokeWhere(Handle h, String where, Object key, Instant now) {
        List<Long> ids = h.createQuery("update oauth_tokens set revoked_at = :now where " + where
                        + " and revoked_at is null returning id")
                .bind("key", key).bind("now", Timestamp.from(now)).mapTo(Long.class).list();
        if (!ids.isEmpty()) {
            h.createUpdate("insert into policy_changes (kind, ref_id, person_id, partner_id) select '" + POLICY_CHANGE_KIND + "', id,"
                    + " person_id, partner_id from oauth_tokens where id = any(:ids)").bind("ids", ids.toArray(Long[]::new)).execute();
        }
        return ids;
    }

    private static Object scopeArray(Set<Scope> scopes) {
        return scopes.stream().map(Scope::toString).sorted().toArray(String[]::new);
    }

    private static StoredToken row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new StoredToken(rs.getLong(1), TokenKind.of(rs.getString(2)), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getLong(5), (Long) rs.getObject(6), rs.getString(7), scopes(rs.getArray(8)), (Long) rs.getObject(9),
                instant(rs, 10), instant(rs, 11), instant(rs, 12), instant(rs, 13));
    }

    static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = new HashSet<>();
        for (String s : (String[]) array.getArray()) {
            scopes.add(Scope.parse(s));
        }
        return scopes;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
