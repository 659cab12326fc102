package custos.server.policy;

import custos.consent.Consent;
import custos.consent.ConsentStore;
import custos.data.Scope;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** A person withdrawing or narrowing a consent; effective on every gateway instance when the call returns. */
public final class ConsentChanges {
    private final ConsentStore consents;
    private final ChangeBarrier barrier;

    public ConsentChanges(ConsentStore consents, ChangeBarrier barrier) {
        this.consents = consents;
        this.barrier = barrier;
    }

    /** Withdraws the consent at {@code at}; empty if there is no such consent. */
    public Optional<Consent> withdraw(long consentId, Instant at) {
        Optional<Consent> withdrawn = consents.withdraw(consentId, at);
        withdrawn.ifPresent(c -> barrier.awaitEverywhere());
        return withdrawn;
    }

    /** Keeps only {@code scopes} (and friends' data only if {@code friendsData}); empty if nothing was narrowed. */
    public Optional<Consent> narrow(long consentId, Set<Scope> scopes, boolean friendsData) {
        Optional<Consent> narrowed = consents.narrow(consentId, scopes, friendsData);
        narrowed.ifPresent(c -> barrier.awaitEverywhere());
        return narrowed;
    }
}
