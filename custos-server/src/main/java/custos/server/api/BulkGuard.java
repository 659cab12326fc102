package custos.server.api;

import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bulk-extraction guard: a partner that reaches more distinct people in a UTC day than its agreements state
 * as their daily volume is throttled for the rest of the day, and flagged once (per instance) to the sink, which
 * records it for the auditors. Counted per
 * instance; behind a load balancer each instance enforces the volume on its share, which is the conservative
 * side only when traffic is spread evenly (stated in docs/operations.md).
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
        final Set<Long> people = new HashSet<>();
        boolean flagged;

        Window(Instant day) {
            this.day = day;
        }
    }

    private final Map<Long, Window> windows = new ConcurrentHashMap<>();
    private final FlagSink sink;

    public BulkGuard(FlagSink sink) {
        this.sink = sink;
    }

    /** Counts {@code person} for the partner today; false when that goes over the partner's stated volume. */
    public boolean admit(PartnerEntry partner, long person, Instant at) {
        long volume = volume(partner, at);
        if (volume <= 0) {
            return true;
        }
        Instant day = at.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        Window w = windows.compute(partner.partner().id(), (id, old) ->
                old == null || !old.day.equals(day) ? new Window(day) : old);
        boolean firstRefusal;
        synchronized (w) {
            if (w.people.contains(person)) {
                return true;
            }
            if (w.people.size() < volume) {
                w.people.add(person);
                return true;
            }
            firstRefusal = !w.flagged;
            w.flagged = true;
        }
        if (firstRefusal) {
            sink.flagged(new Flag(partner.partner().id(), day, volume, at));
        }
        return false;
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
