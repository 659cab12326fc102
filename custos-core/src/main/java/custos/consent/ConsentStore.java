package custos.consent;

import custos.data.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Where consent records and their state history are kept. Every change lands in the policy change feed. */
public interface ConsentStore {

    /** Stores a new consent record (version 1, history GIVEN) with a fresh record id. */
    Consent record(ConsentGrant grant);

    /** Withdraws a consent at {@code at}; empty if there is no such consent. Withdrawing twice keeps the first time. */
    Optional<Consent> withdraw(long consentId, Instant at);

    /**
     * Narrows a live consent to {@code scopes} (a subset of what it holds) and, when {@code friendsData} is false,
     * takes friends' data out of it; the version grows. Empty if there is no such consent, it was withdrawn, or
     * {@code scopes} is not a subset (a consent is widened only through the consent screen).
     */
    Optional<Consent> narrow(long consentId, Set<Scope> scopes, boolean friendsData);

    Optional<Consent> find(long consentId);

    List<Consent> forPerson(long personId);

    /** Streams every consent live at {@code at} (given, not withdrawn, not expired), ordered by id. */
    void forEachLive(Instant at, Consumer<Consent> sink);

    /** Streams every consent record, live or not, ordered by id (a replay decides liveness per request). */
    void forEachConsent(Consumer<Consent> sink);
}
