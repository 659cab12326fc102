package custos.compliance;

import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A partner no person used for {@link #AFTER} lapses (status DORMANT; its requests are denied PARTNER_DORMANT) until
 * an operator reinstates it, as Meta has done with unused apps since 2018. "Used" means an allowed entry in the log.
 * The 90 days count from the latest of: its last allowed entry, the log's first entry (before it the log knows
 * nothing), its registration, its reinstatement after an earlier lapse, and the first sweep of this store (no partner
 * lapses before the sweeps have watched for 90 days: a store whose log was filled by a replay of the past, or
 * imported, does not lapse every partner on its first start).
 */
public final class Dormancy {
    /** How long without use before a partner lapses. */
    public static final Duration AFTER = Duration.ofDays(90);

    /** An active partner unused for 90 days at the instant asked about: since when it counts as unused. */
    public record Dormant(PartnerEntry partner, Instant lastUsed, Instant unusedSince) {}

    private final EntryLog log;
    private final PartnerActivity activity;

    public Dormancy(EntryLog log, PartnerActivity activity) {
        this.log = log;
        this.activity = activity;
    }

    /** Active partners unused for 90 days at {@code now}. */
    public List<Dormant> dormant(List<PartnerEntry> partners, Instant now) {
        Instant logStart = log.firstEntryAt().orElse(null);
        Instant watched = activity.watchedSince().orElse(null);
        if (logStart == null || watched == null) {
            return List.of();
        }
        Map<Long, Instant> used = log.lastAllowed(now);
        Map<Long, Instant> starts = activity.clockStarts();
        List<Dormant> out = new ArrayList<>();
        for (PartnerEntry p : partners) {
            if (p.partner().status() != PartnerStatus.ACTIVE) {
                continue;
            }
            Instant lastUsed = used.get(p.partner().id());
            Instant since = latest(latest(latest(lastUsed, logStart), starts.get(p.partner().id())), watched);
            if (!since.plus(AFTER).isAfter(now)) {
                out.add(new Dormant(p, lastUsed, since));
            }
        }
        return out;
    }

    /** Lapses every partner dormant at {@code now}; returns them. */
    public List<Dormant> sweep(List<PartnerEntry> partners, Instant now) {
        activity.startWatching(now);
        List<Dormant> lapsed = dormant(partners, now);
        for (Dormant d : lapsed) {
            activity.lapse(d.partner().partner().id(), now, d.unusedSince());
        }
        return lapsed;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
