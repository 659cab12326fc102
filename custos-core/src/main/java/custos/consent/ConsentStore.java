package custos.consent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Where consent records and their state history are kept. Every change lands in the policy change feed. */
public interface ConsentStore {

    /** Stores a new consent record (version 1, history GIVEN) with a fresh record id. */
    Consent record(ConsentGrant grant);

    /** Withdraws a consent at {@code at}; empty if there is no such consent. Withdrawing twice keeps the first time. */
    Optional<Consent> withdraw(long consentId, Instant at);

    Optional<Consent> find(long consentId);

    List<Consent> forPerson(long personId);

    /** Streams every consent live at {@code at} (given, not withdrawn, not expired), ordered by id. */
    void forEachLive(Instant at, Consumer<Consent> sink);

    /** Streams every consent record, live or not, ordered by id (a replay decides liveness per request). */
    void forEachConsent(Consumer<Consent> sink);
}
