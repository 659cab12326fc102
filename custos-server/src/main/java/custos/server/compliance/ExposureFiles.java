package custos.server.compliance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import custos.compliance.ExposureReport;
import custos.compliance.PartnerExposure;
import custos.server.http.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** An exposure assessment as {@code exposure.html} (with a chart), {@code exposure.csv} and {@code exposure.json}. */
public final class ExposureFiles {
    private ExposureFiles() {}

    public static List<Path> write(ExposureReport report, Path dir) throws IOException {
        return ReportFiles.writeAll(dir, "exposure", html(report), csv(report), json(report));
    }

    static String counts(Map<String, Long> m, String sep) {
        return m.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(sep));
    }

    private static List<PartnerExposure> rows(ExposureReport r) {
        List<PartnerExposure> rows = new ArrayList<>(r.partners());
        rows.add(r.total());
        return rows;
    }

    static String csv(ExposureReport r) {
        StringBuilder b = new StringBuilder(Csv.row("partner", "lines", "would_allow", "would_deny", "denied_by_reason",
                "people_exposed", "fields_exposed", "people_had_set"));
        for (PartnerExposure p : rows(r)) {
            b.append(Csv.row(p.partner(), p.lines(), p.wouldAllow(), p.wouldDeny(), counts(p.deniedBy(), "; "),
                    p.peopleExposed(), p.fieldsExposed(), counts(p.peopleHadSet(), "; ")));
        }
        return b.toString();
    }

    static ObjectNode json(ExposureReport r) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("source", r.source());
        root.put("first", r.first() == null ? null : r.first().toString());
        root.put("last", r.last() == null ? null : r.last().toString());
        ArrayNode partners = root.putArray("partners");
        r.partners().forEach(p -> partners.add(partner(p)));
        root.set("total", partner(r.total()));
        return root;
    }

    private static ObjectNode partner(PartnerExposure p) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("partner", p.partner());
        n.put("lines", p.lines());
        n.put("wouldAllow", p.wouldAllow());
        n.put("wouldDeny", p.wouldDeny());
        ObjectNode by = n.putObject("deniedBy");
        p.deniedBy().forEach(by::put);
        n.put("peopleExposed", p.peopleExposed());
        n.put("fieldsExposed", p.fieldsExposed());
        ObjectNode had = n.putObject("peopleHadSet");
        p.peopleHadSet().forEach(had::put);
        return n;
    }

    static String html(ExposureReport r) {
        String title = "Exposure assessment of " + r.source();
        StringBuilder b = new StringBuilder("<h1>").append(Html.esc(title)).append("</h1>\n");
        b.append(String.format(Locale.ROOT, "<p>%,d lines from %s to %s, each decided by Custos's engine against the"
                        + " agreements, consents and settings in force at its time. %,d would have been denied: %,d people"
                        + " and %,d fields exposed. Counts, reasons and ids only.</p>%n", r.total().lines(), r.first(),
                r.last(), r.total().wouldDeny(), r.total().peopleExposed(), r.total().fieldsExposed()));
        List<PartnerExposure> top = r.partners().stream().limit(25).toList();
        b.append(Html.bars("What Custos would have allowed and denied, per partner (the " + top.size()
                        + " with most denials)", top.stream().map(p -> new Html.Bar(p.partner(),
                        new long[] {p.wouldAllow(), p.wouldDeny()})).toList(), new String[] {"#2e7d32", "#c62828"},
                new String[] {"would allow", "would deny"}));
        b.append("<table><caption>Per partner</caption><thead><tr><th scope=\"col\">partner</th><th scope=\"col\">lines</th>"
                + "<th scope=\"col\">would deny (by reason)</th><th scope=\"col\">people exposed</th>"
                + "<th scope=\"col\">fields exposed</th><th scope=\"col\">what the people had set (distinct people)</th>"
                + "</tr></thead><tbody>\n");
        for (PartnerExposure p : rows(r)) {
            b.append(String.format(Locale.ROOT, "<tr><th scope=\"row\">%s</th><td class=\"n\">%,d</td><td>%,d: %s</td>"
                            + "<td class=\"n\">%,d</td><td class=\"n\">%,d</td><td>%s</td></tr>%n", Html.esc(p.partner()),
                    p.lines(), p.wouldDeny(), Html.esc(counts(p.deniedBy(), ", ")), p.peopleExposed(), p.fieldsExposed(),
                    Html.esc(counts(p.peopleHadSet(), "; "))));
        }
        b.append("</tbody></table>\n");
        return Html.page(title, b.toString());
    }
}
