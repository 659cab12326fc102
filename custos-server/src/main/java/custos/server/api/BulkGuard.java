package custos.server.api;

import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bulk-extraction guard: a partner that reaches more distinct people in a UTC day than its agreements state
 * as their daily volume is throttled for the rest of the day, and flagged once for the auditors. Counted per
 * instance; behind a load balancer each instance enforces the volume on its share, which is the conservative
 * side only when traffic is spread evenly (stated in docs/operations.md).
 */
public final class BulkGuard {
    /** A partner caught reaching more people than its agreement states. */
    public record Flag(long partnerId, Instant day, long volume, long reached) {}

    private static final class Window {
        final Instant day;
        final Set<Long> people = new HashSet<>();
        boolean flagged;

        Window(Instant day) {
            this.day = day;
        }
    }

    private final Map<Long, Window> windows = new ConcurrentHashMap<>();
    private final List<Flag> flags = new CopyOnWriteArrayList<>();

    /** Counts {@code person} for the partner today; false when that goes over the partner's stated volume. */
    public boolean admit(PartnerEntry partner, long person, Instant at) {
        long volume = volume(partner, at);
        if (volume <= 0) {
            return true;
        }
        Instant day = at.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        Window w = windows.compute(partner.partner().id(), (id, old) ->
                old == null || !old.day.equals(day) ? new Window(day) : old);
        synchronized (w) {
            if (w.people.contains(person)) {
                return true;
            }
            if (w.people.size() >= volume) {
                if (!w.flagged) {
                    w.flagged = true;
                    flags.add(new Flag(partner.partner().id(), day, volume, volume + 1));
                }
                return false;
            }
            w.people.add(person);
            return true;
        }
    }

    public List<Flag> flags() {
        return List.copyOf(flags);
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
