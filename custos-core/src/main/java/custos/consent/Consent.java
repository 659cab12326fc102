package custos.consent;

import custos.data.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A person's grant to one partner for named purposes and scopes, after ISO/IEC TS 27560: record id, person,
 * partner, purposes, scopes, notice version shown, method, given-at, valid-until, withdrawn-at and history.
 * {@code friendsData} says the person also let the partner reach their friends' data (still subject to each
 * friend's own settings). {@code version} grows with every change so decisions can name what they saw.
 */
public record Consent(long id, String recordId, long personId, long partnerId, Set<String> purposes, Set<Scope> scopes,
                      boolean friendsData, String noticeVersion, ConsentMethod method, Instant givenAt,
                      Instant validUntil, Instant withdrawnAt, int version, List<ConsentStateChange> history) {
    public Consent {
        purposes = Set.copyOf(purposes);
        scopes = Set.copyOf(scopes);
        history = List.copyOf(history);
    }

    public boolean withdrawnBy(Instant when) {
        return withdrawnAt != null && !when.isBefore(withdrawnAt);
    }

    public boolean expiredBy(Instant when) {
        return validUntil != null && !when.isBefore(validUntil);
    }

    public boolean liveAt(Instant when) {
        return !when.isBefore(givenAt) && !withdrawnBy(when) && !expiredBy(when);
    }
}
