package custos.server.policy;

import custos.partner.PartnerStatus;
import custos.partner.PartnerStore;
import java.time.Instant;

/**
 * An operator suspending or reinstating a partner, ending an agreement or retiring a purpose; effective on every
 * gateway instance when the call returns.
 */
public final class PartnerChanges {
    private final PartnerStore partners;
    private final ChangeBarrier barrier;

    public PartnerChanges(PartnerStore partners, ChangeBarrier barrier) {
        this.partners = partners;
        this.barrier = barrier;
    }

    /** Sets the partner's status: {@code SUSPENDED} or {@code RETIRED} stops all its access. */
    public void setStatus(long partnerId, PartnerStatus status) {
        partners.setStatus(partnerId, status);
        barrier.awaitEverywhere();
    }

    /** Ends the agreement at {@code at}: every purpose it serves stops once {@code at} has passed. */
    public void endAgreement(long agreementId, Instant at) {
        partners.endAgreement(agreementId, at);
        barrier.awaitEverywhere();
    }

    /** Retires the purpose at {@code at}: the feature was shut down, access for it stops. */
    public void retirePurpose(long purposeId, Instant at) {
        partners.retirePurpose(purposeId, at);
        barrier.awaitEverywhere();
    }
}
