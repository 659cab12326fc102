package custos.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * Where recertifications, their notices and suspensions are kept. Writes that change decisions (suspending,
 * recertifying a suspended agreement) are effective on every gateway instance when they return.
 */
public interface RecertificationStore {

    /** The notices of overdue recertification still open, by agreement id: when each was given. */
    Map<Long, Instant> notices();

    /** Notes that the agreement's recertification, due {@code due}, is overdue; the grace period starts {@code at}. */
    void notice(long agreementId, LocalDate due, Instant at);

    /** Suspends the agreement for want of recertification from {@code at} on. */
    void suspend(long agreementId, Instant at);

    /**
     * Records a recertification: sets the next due date and the interval, lifts a suspension, closes the notice.
     * Throws IllegalArgumentException for an unknown agreement.
     */
    void recertify(long agreementId, Instant at, String actor, String note, int everyDays, LocalDate nextDue);
}
