package custos.compliance;

import java.time.Instant;
import java.util.List;

/**
 * What a finding rests on: how many log entries (or other facts) show it, the first and last of them (null when the
 * evidence is not in the log, e.g. a retired purpose), up to {@link #SAMPLE} of their log indexes, and one line of
 * detail in words (counts, dates, scopes and reasons only).
 */
public record Evidence(long count, Instant first, Instant last, List<Long> indexes, String detail) {
    /** How many log indexes a finding names: enough to open and check, not a copy of the log. */
    public static final int SAMPLE = 10;

    public Evidence {
        indexes = List.copyOf(indexes);
    }

    public static Evidence fact(String detail) {
        return new Evidence(0, null, null, List.of(), detail);
    }
}
