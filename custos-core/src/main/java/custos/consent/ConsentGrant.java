package custos.consent;

import custos.data.Scope;
import java.time.Instant;
import java.util.Set;

/** What a person agreed to on a consent screen, before it is stored as a {@link Consent} record. */
public record ConsentGrant(long personId, long partnerId, Set<String> purposes, Set<Scope> scopes, boolean friendsData,
                           String noticeVersion, ConsentMethod method, Instant givenAt, Instant validUntil) {
    public ConsentGrant {
        purposes = Set.copyOf(purposes);
        scopes = Set.copyOf(scopes);
    }
}
