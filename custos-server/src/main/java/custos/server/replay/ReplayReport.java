package custos.server.replay;

import custos.compliance.PartnerPeriod;
import custos.compliance.PeriodReport;
import custos.server.compliance.ReportFiles;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Prints a replay partner by partner. What the gateway decided (decisions, allowed, denied by reason, records and
 * fields released) is the period report's over the entries the replay appended to the log, the very numbers
 * {@code custos report} gives for that period, so the simulation and the report cannot disagree; what never reaches
 * the log (authorizations refused before a token existed, other people's data cut from pages, what the old
 * whitelist would have returned) is the replay's own count.
 */
public final class ReplayReport {
    private static final PartnerPeriod NOTHING = new PartnerPeriod("", 0, 0, new TreeMap<>(), 0, 0, 0, 0, List.of());

    private ReplayReport() {}

    public static void print(Map<String, PartnerTally> tallies, PeriodReport report, Set<String> first, int otherRows,
                             PrintStream out) {
        Map<String, PartnerPeriod> logged = report.partners().stream()
                .collect(Collectors.toMap(PartnerPeriod::partner, p -> p));
        List<PartnerTally> rows = new ArrayList<>();
        tallies.values().stream().filter(t -> first.contains(t.slug())).forEach(rows::add);
        Comparator<PartnerTally> busiest = Comparator.comparingLong(
                (PartnerTally t) -> logged.getOrDefault(t.slug(), NOTHING).requests()).reversed();
        tallies.values().stream()
                .filter(t -> !first.contains(t.slug())
                        && logged.getOrDefault(t.slug(), NOTHING).requests() + t.refusedAtAuthorize() > 0)
                .sorted(busiest.thenComparing(PartnerTally::slug)).limit(otherRows).forEach(rows::add);
        out.println("| partner | decisions | allowed | denied (by reason) | refused at authorize | records / fields released | others' data withheld: messages / participants | old whitelist: records / fields |");
        out.println("|---|---:|---:|---|---:|---:|---:|---:|");
        for (PartnerTally t : rows) {
            out.println(row(t.slug(), logged.getOrDefault(t.slug(), NOTHING), t.refusedBy(), t.withheldMessages(),
                    t.withheldParticipants(), t.whitelistRecords(), t.whitelistFields()));
        }
        Map<String, Long> refused = new TreeMap<>();
        tallies.values().forEach(t -> t.refusedBy.forEach((k, v) -> refused.merge(k, v, Long::sum)));
        out.println(row("**all " + tallies.size() + " partners**", report.total(), refused,
                tallies.values().stream().mapToLong(PartnerTally::withheldMessages).sum(),
                tallies.values().stream().mapToLong(PartnerTally::withheldParticipants).sum(),
                tallies.values().stream().mapToLong(PartnerTally::whitelistRecords).sum(),
                tallies.values().stream().mapToLong(PartnerTally::whitelistFields).sum()));
    }

    private static String row(String slug, PartnerPeriod p, Map<String, Long> refused, long withheldMessages,
                              long withheldParticipants, long wRecords, long wFields) {
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %,d: %s | %,d / %,d | %,d / %,d | %,d / %,d |", slug,
                p.requests(), p.allowed(), ReportFiles.denied(p), refused.values().stream().mapToLong(Long::longValue).sum(),
                counts(refused), p.records(), p.fields(), withheldMessages, withheldParticipants, wRecords, wFields);
    }

    private static String counts(Map<String, Long> byReason) {
        return byReason.isEmpty() ? "–" : byReason.entrySet().stream()
                // Ties by name: the byReason map has no order, and the table must read the same on every run.
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
