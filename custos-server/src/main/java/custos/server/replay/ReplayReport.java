package custos.server.replay;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Prints a replay partner by partner: what was asked, allowed, denied and why, and what the whitelist gave. */
public final class ReplayReport {
    private ReplayReport() {}

    public static void print(Map<String, PartnerTally> tallies, Set<String> first, int otherRows, PrintStream out) {
        List<PartnerTally> rows = new ArrayList<>();
        tallies.values().stream().filter(t -> first.contains(t.slug())).forEach(rows::add);
        tallies.values().stream().filter(t -> !first.contains(t.slug()) && t.requests() + t.refusedAtAuthorize() > 0)
                .sorted(Comparator.comparingLong(PartnerTally::requests).reversed().thenComparing(PartnerTally::slug)).limit(otherRows).forEach(rows::add);
        out.println("| partner | requests | allowed | denied (by reason) | refused at authorize | records / fields returned | others' data withheld: messages / participants | old whitelist: records / fields |");
        out.println("|---|---:|---:|---|---:|---:|---:|---:|");
        for (PartnerTally t : rows) {
            out.println(row(t.slug(), t.requests(), t.allowed(), t.deniedBy(), t.refusedBy(), t.records(), t.fields(),
                    t.withheldMessages(), t.withheldParticipants(), t.whitelistRecords(), t.whitelistFields()));
        }
        PartnerTally all = new PartnerTally("all " + tallies.size() + " partners");
        for (PartnerTally t : tallies.values()) {
            all.requests += t.requests;
            all.allowed += t.allowed;
            all.refusedAtAuthorize += t.refusedAtAuthorize;
            all.records += t.records;
            all.fields += t.fields;
            all.withheldMessages += t.withheldMessages;
            all.withheldParticipants += t.withheldParticipants;
            all.whitelistRecords += t.whitelistRecords;
            all.whitelistFields += t.whitelistFields;
            t.deniedBy.forEach((k, v) -> all.deniedBy.merge(k, v, Long::sum));
            t.refusedBy.forEach((k, v) -> all.refusedBy.merge(k, v, Long::sum));
        }
        out.println(row("**" + all.slug() + "**", all.requests(), all.allowed(), all.deniedBy(), all.refusedBy(),
                all.records(), all.fields(), all.withheldMessages(), all.withheldParticipants(), all.whitelistRecords(),
                all.whitelistFields()));
    }

    private static String row(String slug, long requests, long allowed, Map<String, Long> denied, Map<String, Long> refused,
                              long records, long fields, long withheldMessages, long withheldParticipants, long wRecords,
                              long wFields) {
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d: %s | %,d: %s | %,d / %,d | %,d / %,d | %,d / %,d |", slug,
                requests, allowed, requests - allowed, counts(denied), refused.values().stream().mapToLong(Long::longValue).sum(),
                counts(refused), records, fields, withheldMessages, withheldParticipants, wRecords, wFields);
    }

    private static String counts(Map<String, Long> byReason) {
        return byReason.isEmpty() ? "–" : byReason.entrySet().stream()
                // Ties by name: the byReason map has no order, and the table must read the same on every run.
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
