package custos.server.oauth;

import custos.data.Scope;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A token row as stored: its grant plus the bookkeeping of rotation and revocation. */
record StoredToken(long id, TokenKind kind, UUID familyId, String clientId, long partnerId, Long personId, String purpose,
                   Set<Scope> scopes, Long consentId, Instant issuedAt, Instant expiresAt, Instant rotatedAt,
                   Instant revokedAt) {
    StoredToken {
        scopes = Set.copyOf(scopes);
    }

    /** Not revoked, not expired and, for a refresh token, not yet exchanged. */
    boolean activeAt(Instant when) {
        return revokedAt == null && rotatedAt == null && when.isBefore(expiresAt);
    }

    AccessGrant grant() {
        return new AccessGrant(id, clientId, partnerId, personId, purpose, scopes, consentId, issuedAt, expiresAt, false);
    }

    /** The grant of an access token revoked when its consent was withdrawn: refused, but refused as that grant. */
    AccessGrant withdrawnGrant() {
        return new AccessGrant(id, clientId, partnerId, personId, purpose, scopes, consentId, issuedAt, expiresAt, true);
    }
}
