package custos.server.account;

import custos.server.audit.AccessHistory;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The history page's per-partner timeline: one lane per partner with entries about the person in the last
 * {@link #DAYS} UTC days, a bar per day (allowed below, denied stacked on top), drawn as SVG by the template, and
 * the same numbers as a table. The busiest {@link #LANES} partners get lanes; the others are counted in words.
 */
public record Timeline(LocalDate first, LocalDate last, List<Lane> lanes, long busiestDay, int otherPartners,
                       long otherAllowed, long otherDenied) {
    public static final int DAYS = 30;
    public static final int LANES = 8;
    /** The SVG's geometry, in user units: a lane's label line, its bar area, a bar's width. */
    public static final int LABEL = 16;
    public static final int BARS = 40;
    public static final int LANE = LABEL + BARS + 12;
    public static final int BAR = 10;
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    /** One partner's lane: its days in order, {@link #DAYS} of them, with zeros where nothing happened. */
    public record Lane(String partner, List<Day> days, long allowed, long denied) {}

    /** A day's counts. */
    public record Day(LocalDate day, long allowed, long denied) {
        public long total() {
            return allowed + denied;
        }
    }

    static Timeline of(List<AccessHistory.DayCount> counts, LongFunction<String> partnerName, LocalDate today) {
        LocalDate first = today.minusDays(DAYS - 1);
        Map<Long, Map<LocalDate, AccessHistory.DayCount>> byPartner = new LinkedHashMap<>();
        for (AccessHistory.DayCount c : counts) {
            if (!c.day().isBefore(first) && !c.day().isAfter(today)) {
                byPartner.computeIfAbsent(c.partnerId(), k -> new LinkedHashMap<>()).put(c.day(), c);
            }
        }
        List<Lane> all = new ArrayList<>();
        for (var e : byPartner.entrySet()) {
            List<Day> days = new ArrayList<>();
            long allowed = 0;
            long denied = 0;
            for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
                AccessHistory.DayCount c = e.getValue().get(d);
                Day day = c == null ? new Day(d, 0, 0) : new Day(d, c.allowed(), c.denied());
                days.add(day);
                allowed += day.allowed();
                denied += day.denied();
            }
            all.add(new Lane(partnerName.apply(e.getKey()), List.copyOf(days), allowed, denied));
        }
        all.sort(Comparator.comparingLong((Lane l) -> -(l.allowed() + l.denied())).thenComparing(Lane::partner));
        List<Lane> lanes = List.copyOf(all.subList(0, Math.min(LANES, all.size())));
        List<Lane> rest = all.subList(lanes.size(), all.size());
        long busiest = lanes.stream().flatMap(l -> l.days().stream()).mapToLong(Day::total).max().orElse(0);
        return new Timeline(first, today, lanes, busiest, rest.size(), rest.stream().mapToLong(Lane::allowed).sum(),
                rest.stream().mapToLong(Lane::denied).sum());
    }

    /** The SVG's height for its lanes. */
    public int height() {
        return Math.max(1, lanes.size()) * LANE + 14;
    }

    /** The SVG's width: a bar slot per day. */
    public int width() {
        return DAYS * BAR;
    }

    /** The height of a bar part of {@code count} entries, scaled to the busiest day shown. */
    public int scaled(long count) {
        return count == 0 || busiestDay == 0 ? 0 : (int) Math.max(1, Math.round((double) count * BARS / busiestDay));
    }

    public String firstWords() {
        return SHORT.format(first);
    }

    public String lastWords() {
        return SHORT.format(last);
    }

    public static String dayWords(LocalDate day) {
        return SHORT.format(day);
    }
}
