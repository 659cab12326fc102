package custos.server.oauth;

import custos.data.Scope;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a live access token lets its holder do: act for one partner (through one client), for one person and one
 * purpose, within the consented scopes, until {@code expiresAt}. A client-credentials token has no person, purpose
 * or consent. {@code tokenId} names the token row (for revocation feeds); the token itself is never kept.
 * {@code consentWithdrawn}: the token was revoked because the person withdrew the consent it came from; it still
 * names who asks for whom, so the refusal is decided, logged and shown in the person's history, but nothing it asks
 * is ever allowed (not even under a consent given again later).
 */
public record AccessGrant(long tokenId, String clientId, long partnerId, Long personId, String purpose, Set<Scope> scopes,
                          Long consentId, Instant issuedAt, Instant expiresAt, boolean consentWithdrawn) {
    public AccessGrant {
        scopes = Set.copyOf(scopes);
    }

    public boolean personal() {
        return personId != null;
    }

    public OptionalLong person() {
        return personId == null ? OptionalLong.empty() : OptionalLong.of(personId);
    }

    public Optional<String> purposeCode() {
        return Optional.ofNullable(purpose);
    }

    public boolean expiredAt(Instant when) {
        return !when.isBefore(expiresAt);
    }
}
