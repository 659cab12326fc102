package custos.compliance;

import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every agreement in force is recertified every {@link Agreement#recertifyEveryDays()} days. One overdue is noticed
 * first; when {@link #GRACE} has passed since the notice and it is still overdue, it is suspended
 * (RECERTIFICATION_OVERDUE) until an operator recertifies it. The grace runs from the notice, not the due date, so an
 * agreement long overdue before anyone enforced this is never suspended without notice.
 */
public final class Recertification {
    /** Time between the notice and the suspension. */
    public static final Duration GRACE = Duration.ofDays(30);

    /** An agreement past its due date, with its notice (null if not noticed yet) and suspension (null if none). */
    public record Overdue(PartnerEntry partner, Agreement agreement, Instant noticedAt) {
        public Instant suspendsAt() {
            return noticedAt == null ? null : noticedAt.plus(GRACE);
        }
    }

    /** What a sweep did. */
    public record Swept(int noticed, int suspended) {}

    private final RecertificationStore store;

    public Recertification(RecertificationStore store) {
        this.store = store;
    }

    /** Agreements in force at {@code now} whose recertification is past due. */
    public List<Overdue> overdue(List<PartnerEntry> partners, Instant now) {
        Map<Long, Instant> notices = store.notices();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<Overdue> out = new ArrayList<>();
        for (PartnerEntry p : partners) {
            for (Agreement a : p.agreements()) {
                if (a.inForceAt(now) && a.nextRecertification() != null && a.nextRecertification().isBefore(today)) {
                    out.add(new Overdue(p, a, notices.get(a.id())));
                }
            }
        }
        return out;
    }

    /** Notices what is newly overdue and suspends what is still overdue when its grace ran out. */
    public Swept sweep(List<PartnerEntry> partners, Instant now) {
        int noticed = 0;
        int suspended = 0;
        for (Overdue o : overdue(partners, now)) {
            if (o.noticedAt() == null) {
                store.notice(o.agreement().id(), o.agreement().nextRecertification(), now);
                noticed++;
            } else if (!now.isBefore(o.suspendsAt()) && o.agreement().recertificationSuspendedAt() == null) {
                store.suspend(o.agreement().id(), o.suspendsAt());
                suspended++;
            }
        }
        return new Swept(noticed, suspended);
    }

    /** Refuses a recertification without an actor or with an interval outside 90..365 days, before anything is read. */
    public static void check(String actor, int everyDays) {
        if (everyDays < Agreement.MIN_RECERTIFY_DAYS || everyDays > Agreement.DEFAULT_RECERTIFY_DAYS) {
            throw new IllegalArgumentException("an agreement is recertified every " + Agreement.MIN_RECERTIFY_DAYS
                    + " to " + Agreement.DEFAULT_RECERTIFY_DAYS + " days, got " + everyDays);
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("a recertification names who vouched for the agreement");
        }
    }

    /** Records that {@code actor} recertified the agreement at {@code at}: due again {@code everyDays} later. */
    public LocalDate recertify(long agreementId, Instant at, String actor, String note, int everyDays) {
        check(actor, everyDays);
        LocalDate next = LocalDate.ofInstant(at, ZoneOffset.UTC).plusDays(everyDays);
        store.recertify(agreementId, at, actor, note == null ? "" : note, everyDays, next);
        return next;
    }
}
