package custos.server.console;

import custos.compliance.LogRange;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A period the console asks for as two UTC days, both included: the log range from the first's midnight to the day after the last. */
record UtcDays(LocalDate from, LocalDate to) {

    /** The days of two ISO dates (YYYY-MM-DD), the first not after the second; empty for anything else. */
    static Optional<UtcDays> parse(String from, String to) {
        try {
            UtcDays days = new UtcDays(LocalDate.parse(from), LocalDate.parse(to));
            return days.to().isBefore(days.from()) ? Optional.empty() : Optional.of(days);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The last 365 days up to today (UTC): the findings' default period. */
    static UtcDays lastYear(java.time.Clock clock) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return new UtcDays(today.minusDays(365), today);
    }

    LogRange range() {
        return LogRange.period(from.atStartOfDay(ZoneOffset.UTC).toInstant(), to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
