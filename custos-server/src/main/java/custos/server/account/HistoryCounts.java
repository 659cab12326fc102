package custos.server.account;

import custos.server.audit.AccessHistory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each person's history counted per partner and day, kept for the {@value #PEOPLE} people who looked last and
 * brought up to date from the store on every look by reading only the entries appended since. Correct on any number
 * of instances: entries are never changed, and an index becomes visible only after every lower one (the log's head
 * row orders the commits), so counts up to index N never miss an entry at or below N.
 */
final class HistoryCounts {
    static final int PEOPLE = 1_000;

    private record Key(long partnerId, LocalDate day) {}

    private record Counts(long upTo, Map<Key, AccessHistory.DayCount> days) {}

    private final AccessHistory history;
    private final Map<Long, Counts> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Counts> eldest) {
            return size() > PEOPLE;
        }
    };

    HistoryCounts(AccessHistory history) {
        this.history = history;
    }

    /** The person's whole history counted per partner and UTC day. */
    List<AccessHistory.DayCount> of(long personId) {
        Counts known;
        synchronized (recent) {
            known = recent.get(personId);
        }
        long after = known == null ? -1 : known.upTo();
        List<AccessHistory.DayCount> added = history.daily(personId, after);
        Counts now = known;
        if (known == null || !added.isEmpty()) {
            Map<Key, AccessHistory.DayCount> days = known == null ? new HashMap<>() : new HashMap<>(known.days());
            long upTo = after;
            for (AccessHistory.DayCount c : added) {
                days.merge(new Key(c.partnerId(), c.day()), c, (a, b) -> new AccessHistory.DayCount(a.partnerId(),
                        a.day(), a.allowed() + b.allowed(), a.denied() + b.denied(), Math.max(a.upTo(), b.upTo())));
                upTo = Math.max(upTo, c.upTo());
            }
            now = new Counts(upTo, Map.copyOf(days));
            synchronized (recent) {
                Counts latest = recent.get(personId);
                if (latest == null || latest.upTo() < now.upTo()) {
                    recent.put(personId, now);
                }
            }
        }
        return new ArrayList<>(now.days().values());
    }
}
