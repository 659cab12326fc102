package custos.server.api;

import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import custos.server.limits.DailyReach;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bulk-extraction guard: a partner that reaches more distinct people in a UTC day than its agreements state
 * as their daily volume is throttled for the rest of the day, and flagged once (per instance) to the sink, which
 * records it for the auditors. The people are counted in the store ({@link DailyReach}), so every instance
 * holds the partner to the one volume; each instance remembers whom it already saw counted today, so a person's
 * later requests cost no store round trip.
 */
public final class BulkGuard {
    /** A partner caught reaching more people than its agreement states: refused first at {@code at}. */
    public record Flag(long partnerId, Instant day, long volume, Instant at) {}

    /** Where flags go; called on the request's thread, once per partner and day on this instance. */
    @FunctionalInterface
    public interface FlagSink {
        void flagged(Flag flag);
    }

    private static final class Window {
        final Instant day;
        final Set<Long> counted = new HashSet<>();
        boolean flagged;

        Window(Instant day) {
            this.day = day;
        }
    }

    private final Map<Long, Window> windows = new ConcurrentHashMap<>();
    private final DailyReach reach;
    private final FlagSink sink;

    public BulkGuard(DailyReach reach, FlagSink sink) {
        this.reach = reach;
        this.sink = sink;
    }

    /** Counts {@code person} for the partner today; false when that goes over the partner's stated volume. */
    public boolean admit(PartnerEntry partner, long person, Instant at) {
        long volume = volume(partner, at);
        if (volume <= 0) {
            return true;
        }
        Instant day = at.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        long partnerId = partner.partner().id();
        Window w = windows.compute(partnerId, (id, old) -> old == null || !old.day.equals(day) ? new Window(day) : old);
        synchronized (w) {
            if (w.counted.contains(person)) {
                return true;
            }
        }
        // Outside the lock: the store round trip must not hold up this partner's other requests on this instance.
        boolean counted = reach.reach(partnerId, LocalDate.ofInstant(day, ZoneOffset.UTC), person, volume);
        boolean firstRefusal;
        synchronized (w) {
            if (counted) {
                w.counted.add(person);
                return true;
            }
            firstRefusal = !w.flagged;
            w.flagged = true;
        }
        if (firstRefusal) {
            sink.flagged(new Flag(partnerId, day, volume, at));
        }
        return false;
    }

    /** Seconds until the guard's day ends for a refusal at {@code at}: the partner's count starts afresh then. */
    static long secondsToNextDay(Instant at) {
        Instant next = at.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant();
        return Math.max(1, next.getEpochSecond() - at.getEpochSecond());
    }

    private static long volume(PartnerEntry partner, Instant at) {
        long v = 0;
        for (Agreement a : partner.agreements()) {
            if (a.inForceAt(at)) {
                v = Math.max(v, a.dailyPeopleVolume());
            }
        }
        return v;
    }
}
