package custos.server.compliance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import custos.compliance.Finding;
import custos.compliance.PartnerPeriod;
import custos.compliance.PeriodReport;
import custos.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A period report as files to hand over: {@code report.html} (tables and inline SVG charts, no script),
 * {@code report.csv} (one row per partner and the total) and {@code report.json} (everything, findings included).
 * Counts, reasons, ids and categories only.
 */
public final class ReportFiles {
    private static final String[] OUTCOME_COLOURS = {"#2e7d32", "#c62828"};

    private ReportFiles() {}

    /** Writes the three files into {@code dir} (created if missing); returns their paths. */
    public static List<Path> write(PeriodReport report, Path dir) throws IOException {
        return writeAll(dir, "report", html(report), csv(report), json(report));
    }

    /** {@code dir/name.html}, {@code .csv} and {@code .json}, the folder created if missing; returns the three paths. */
    static List<Path> writeAll(Path dir, String name, String html, String csv, ObjectNode json) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = List.of(dir.resolve(name + ".html"), dir.resolve(name + ".csv"), dir.resolve(name + ".json"));
        Files.writeString(files.get(0), html, StandardCharsets.UTF_8);
        Files.writeString(files.get(1), csv, StandardCharsets.UTF_8);
        Files.writeString(files.get(2), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json),
                StandardCharsets.UTF_8);
        return files;
    }

    /** The denials as the README's table writes them: "N: REASON n, ..." (– when none). */
    public static String denied(PartnerPeriod p) {
        return String.format(Locale.ROOT, "%,d: %s", p.denied(), p.deniedBy().isEmpty() ? "–"
                : p.reasonsByCount().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }

    public static String csv(PeriodReport r) {
        StringBuilder b = new StringBuilder(Csv.row("partner", "requests", "allowed", "denied", "denied_by_reason",
                "records_released", "fields_released", "people_direct", "people_through_friends", "findings"));
        for (PartnerPeriod p : rows(r)) {
            b.append(Csv.row(p.partner(), p.requests(), p.allowed(), p.denied(),
                    p.reasonsByCount().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; ")),
                    p.records(), p.fields(), p.peopleDirect(), p.peopleThroughFriends(), p.findings().size()));
        }
        return b.toString();
    }

    static ObjectNode json(PeriodReport r) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("from", r.from().toString());
        root.put("until", r.until().toString());
        if (r.partnerFilter() != null) {
            root.put("partner", r.partnerFilter());
        }
        root.put("entries", r.entries());
        root.put("tookMillis", r.took().toMillis());
        ArrayNode partners = root.putArray("partners");
        r.partners().forEach(p -> partners.add(period(p)));
        root.set("total", period(r.total()));
        ArrayNode findings = root.putArray("findings");
        r.findings().forEach(f -> findings.add(FindingsOutput.json(f)));
        return root;
    }

    private static ObjectNode period(PartnerPeriod p) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("partner", p.partner());
        n.put("requests", p.requests());
        n.put("allowed", p.allowed());
        n.put("denied", p.denied());
        ObjectNode by = n.putObject("deniedBy");
        p.reasonsByCount().forEach(e -> by.put(e.getKey(), e.getValue()));
        n.put("recordsReleased", p.records());
        n.put("fieldsReleased", p.fields());
        n.put("peopleDirect", p.peopleDirect());
        n.put("peopleThroughFriends", p.peopleThroughFriends());
        ArrayNode f = n.putArray("findings");
        p.findings().forEach(f::add);
        return n;
    }

    private static List<PartnerPeriod> rows(PeriodReport r) {
        List<PartnerPeriod> rows = new java.util.ArrayList<>(r.partners());
        rows.add(r.total());
        return rows;
    }

    /** The report as HTML content (headings, tables, inline SVG charts), for a page of its own or the console. */
    public static String html(PeriodReport r) {
        StringBuilder b = new StringBuilder();
        String title = "Custos access report, " + r.from() + " to " + r.until()
                + (r.partnerFilter() == null ? "" : ", partner " + r.partnerFilter());
        b.append("<h1>").append(Html.esc(title)).append("</h1>\n");
        b.append(String.format(Locale.ROOT, "<p>%,d log entries read in %.1f s. Counts, reasons and ids only: no data"
                + " of anyone is in this report.</p>%n", r.entries(), r.took().toMillis() / 1000.0));
        List<PartnerPeriod> top = r.partners().stream().limit(25).toList();
        b.append(Html.bars("Requests per partner, allowed and denied (the " + top.size() + " busiest)",
                top.stream().map(p -> new Html.Bar(p.partner(), new long[] {p.allowed(), p.denied()})).toList(),
                OUTCOME_COLOURS, new String[] {"allowed", "denied"}));
        b.append(Html.bars("Denials by reason, all partners (a denial can name several)",
                r.total().reasonsByCount().stream().map(e -> new Html.Bar(e.getKey(), new long[] {e.getValue()})).toList(),
                new String[] {"#c62828"}, new String[] {"denials naming the reason"}));
        b.append("<table><caption>Per partner</caption><thead><tr><th scope=\"col\">partner</th>"
                + "<th scope=\"col\">requests</th><th scope=\"col\">allowed</th><th scope=\"col\">denied (by reason)</th>"
                + "<th scope=\"col\">records / fields released</th><th scope=\"col\">people reached directly</th>"
                + "<th scope=\"col\">people reached through friends</th><th scope=\"col\">findings</th></tr></thead><tbody>\n");
        for (PartnerPeriod p : rows(r)) {
            b.append(String.format(Locale.ROOT, "<tr><th scope=\"row\">%s</th><td class=\"n\">%,d</td><td class=\"n\">%,d</td>"
                            + "<td>%s</td><td class=\"n\">%,d / %,d</td><td class=\"n\">%,d</td><td class=\"n\">%,d</td>"
                            + "<td class=\"n\">%,d</td></tr>%n", Html.esc(p.partner()), p.requests(), p.allowed(),
                    Html.esc(denied(p)), p.records(), p.fields(), p.peopleDirect(), p.peopleThroughFriends(),
                    p.findings().size()));
        }
        b.append("</tbody></table>\n");
        b.append("<h2>Findings</h2>\n");
        if (r.findings().isEmpty()) {
            b.append("<p>None.</p>\n");
        } else {
            b.append("<table><thead><tr><th scope=\"col\">severity</th><th scope=\"col\">finding</th>"
                    + "<th scope=\"col\">evidence</th><th scope=\"col\">fix</th><th scope=\"col\">status</th></tr></thead><tbody>\n");
            for (Finding f : r.findings()) {
                b.append("<tr><td>").append(f.severity()).append("</td><td>").append(Html.esc(f.title()))
                        .append("<br><small>").append(Html.esc(f.id())).append("</small></td><td>")
                        .append(Html.esc(FindingsOutput.evidence(f))).append("</td><td>").append(Html.esc(f.fix()))
                        .append("</td><td>").append(f.open() ? "open" : Html.esc("resolved " + f.resolution().at()
                                + " by " + f.resolution().actor())).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        return Html.page(title, b.toString());
    }

    /** The JSON of a report as a map, for tests and embedding. */
    public static Map<String, Object> asMap(PeriodReport r) {
        return Json.MAPPER.convertValue(json(r), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    }
}
