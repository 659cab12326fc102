package custos.partner;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where partners, their clients, agreements and purposes are kept. Every change lands in the policy change feed. */
public interface PartnerStore {

    /** Every partner with its agreements and purposes, ordered by partner id. */
    List<PartnerEntry> loadAll();

    Optional<PartnerEntry> bySlug(String slug);

    Optional<PartnerClient> client(String clientId);

    void setStatus(long partnerId, PartnerStatus status);

    /** Ends an agreement at {@code at} (sets valid-until, bumps its version). */
    void endAgreement(long agreementId, Instant at);

    /** Retires a purpose at {@code at}: the feature was shut down, access for it stops. */
    void retirePurpose(long purposeId, Instant at);
}
