package custos.server.oauth;

import custos.server.policy.ConsentChanges;
import java.time.Instant;

/**
 * A person ending a consent (Deny on a renewal screen, Withdraw on the partners page): the consent ends, and so do the
 * tokens issued from it. Both go through the change barrier, so when the screen answers the partner's next request is refused on every
 * instance (403 CONSENT_REVOKED, or 401 once its token is dropped).
 */
public final class RenewalWithdrawal {
    private final ConsentChanges changes;
    private final TokenRevocations revocations;

    public RenewalWithdrawal(ConsentChanges changes, TokenRevocations revocations) {
        this.changes = changes;
        this.revocations = revocations;
    }

    /**
     * Withdraws the whole record at {@code at}: a record that also covers other purposes of the partner (older
     * consents do) ends with them, since scopes are not kept per purpose and keeping any would keep some sharing
     * the person just refused.
     */
    public void withdraw(long consentId, Instant at) {
        changes.withdraw(consentId, at);
        revocations.revokeConsent(consentId);
    }
}
