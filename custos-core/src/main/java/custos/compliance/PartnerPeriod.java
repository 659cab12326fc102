package custos.compliance;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One partner's period from the log: requests (entries), allowed, denied with the count of each reason (a denial can
 * name several), records and fields released, distinct people reached directly (their own data, on their consent)
 * and through friends (a friend's consent: the subject of a friend's request, or a co-subject), and the ids of its
 * findings. Counts only.
 */
public record PartnerPeriod(String partner, long requests, long allowed, SortedMap<String, Long> deniedBy, long records,
                            long fields, long peopleDirect, long peopleThroughFriends, List<String> findings) {
    public PartnerPeriod {
        deniedBy = new TreeMap<>(deniedBy);
        findings = List.copyOf(findings);
    }

    public long denied() {
        return requests - allowed;
    }

    /** Reasons by count, most first, ties by name: the order the tables print. */
    public List<Map.Entry<String, Long>> reasonsByCount() {
        return deniedBy.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }
}
