package custos.compliance;

import java.time.Instant;
import java.util.Objects;

/**
 * Which entries of the log to read: those at {@code from} (inclusive) to {@code until} (exclusive), of one partner
 * when {@code partnerId} is not null, and with an index in {@code [fromIndex, untilIndex)} when those are not null.
 */
public record LogRange(Instant from, Instant until, Long partnerId, Long fromIndex, Long untilIndex) {
    public LogRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("the period must end after it starts: " + from + " to " + until);
        }
    }

    public static LogRange period(Instant from, Instant until) {
        return new LogRange(from, until, null, null, null);
    }

    public LogRange ofPartner(Long partner) {
        return new LogRange(from, until, partner, fromIndex, untilIndex);
    }

    public LogRange indexes(long fromInclusive, long untilExclusive) {
        return new LogRange(from, until, partnerId, fromInclusive, untilExclusive);
    }
}
