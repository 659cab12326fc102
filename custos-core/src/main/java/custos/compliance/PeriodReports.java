package custos.compliance;

import custos.audit.AccessEvent;
import custos.policy.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Builds a {@link PeriodReport} from the log in one pass. An entry whose event was erased still counts as a request
 * and by outcome; its reasons and people are unknown and are counted as {@value #ERASED}.
 */
public final class PeriodReports {
    /** The reason a denial counts under when its event was erased. */
    public static final String ERASED = "ERASED_ENTRY";

    private final EntryLog log;

    public PeriodReports(EntryLog log) {
        this.log = log;
    }

    /** The report of {@code range}; {@code slugs} names partners by id, {@code findings} are those of the period. */
    public PeriodReport build(LogRange range, LongFunction<String> slugs, List<Finding> findings, Progress progress) {
        long started = System.nanoTime();
        long total = log.count(range);
        Map<Long, Acc> byPartner = new HashMap<>();
        Acc all = new Acc();
        long[] seen = {0};
        log.forEach(range, entry -> {
            byPartner.computeIfAbsent(entry.partnerId(), k -> new Acc()).add(entry);
            all.add(entry);
            if (++seen[0] % 1000 == 0) {
                progress.advanced(seen[0], total);
            }
        });
        progress.advanced(total, total);
        Map<String, List<String>> findingIds = new HashMap<>();
        findings.forEach(f -> findingIds.computeIfAbsent(f.partner(), k -> new ArrayList<>()).add(f.id()));
        List<PartnerPeriod> rows = new ArrayList<>();
        byPartner.forEach((id, acc) -> {
            String slug = slugs.apply(id);
            rows.add(acc.period(slug, findingIds.getOrDefault(slug, List.of())));
        });
        rows.sort(Comparator.comparingLong(PartnerPeriod::requests).reversed().thenComparing(PartnerPeriod::partner));
        return new PeriodReport(range.from(), range.until(), range.partnerId() == null ? null : slugs.apply(range.partnerId()),
                rows, all.period("all " + rows.size() + " partners", findings.stream().map(Finding::id).toList()),
                findings, seen[0], Duration.ofNanos(System.nanoTime() - started));
    }

    /** One partner's (or everyone's) counts as the pass goes. */
    private static final class Acc {
        long requests;
        long allowed;
        final TreeMap<String, Long> deniedBy = new TreeMap<>();
        long records;
        long fields;
        final Set<Long> direct = new HashSet<>();
        final Set<Long> throughFriends = new HashSet<>();

        void add(LoggedEntry entry) {
            requests++;
            AccessEvent e = entry.event();
            boolean allow = entry.outcome() == Outcome.ALLOW;
            if (allow) {
                allowed++;
            }
            if (e == null) {
                if (!allow) {
                    deniedBy.merge(ERASED, 1L, Long::sum);
                }
                return;
            }
            if (!allow) {
                e.reasons().forEach(r -> deniedBy.merge(r, 1L, Long::sum));
                return;
            }
            records += e.records();
            fields += (long) e.records() * e.fields().size();
            if (e.subject() == e.actor()) {
                direct.add(e.subject());
            } else {
                throughFriends.add(e.subject());
            }
            for (long co : e.coSubjects()) {
                if (co != e.actor()) {
                    throughFriends.add(co);
                }
            }
        }

        PartnerPeriod period(String slug, List<String> findings) {
            return new PartnerPeriod(slug, requests, allowed, deniedBy, records, fields, direct.size(),
                    throughFriends.size(), findings);
        }
    }
}
