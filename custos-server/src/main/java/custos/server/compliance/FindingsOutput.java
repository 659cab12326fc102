package custos.server.compliance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import custos.compliance.AllowReplay;
import custos.compliance.Finding;
import custos.compliance.Findings;
import custos.server.http.Json;
import java.io.PrintWriter;
import java.util.Locale;

/** Findings as the terminal shows them (one block each) and as JSON. */
public final class FindingsOutput {
    private FindingsOutput() {}

    static String evidence(Finding f) {
        var e = f.evidence();
        StringBuilder b = new StringBuilder(e.detail());
        if (e.count() > 0) {
            b.append(String.format(Locale.ROOT, "; %,d entries, first %s, last %s", e.count(), e.first(), e.last()));
        }
        if (!e.indexes().isEmpty()) {
            b.append("; log indexes ").append(e.indexes());
        }
        return b.toString();
    }

    /** The line that says how the replay of allowed entries went (it must say 0 violations). */
    public static String replayLine(AllowReplay.Result r) {
        return String.format(Locale.ROOT, "settings-violating allows: %,d of %,d allowed entries replayed from %s to %s"
                        + " (%.1f s; %,d erased, not replayable; %,d on a consent changed since)", r.violations(),
                r.replayed(), r.range().from(), r.range().until(), r.took().toMillis() / 1000.0, r.unreadable(),
                r.onChangedConsent());
    }

    public static void print(Findings.Report report, PrintWriter out) {
        out.printf(Locale.ROOT, "custos: %d findings at %s (%d open), log read from %s to %s%n", report.findings().size(),
                report.at(), report.open(), report.period().from(), report.period().until());
        if (report.allowReplay() != null) {
            out.println(replayLine(report.allowReplay()));
        }
        for (Finding f : report.findings()) {
            out.println();
            out.printf(Locale.ROOT, "[%s] %s%s%n", f.severity(), f.title(), f.open() ? ""
                    : "  (resolved " + f.resolution().at() + " by " + f.resolution().actor() + ": " + f.resolution().note() + ")");
            out.println("  id:       " + f.id());
            out.println("  evidence: " + evidence(f));
            out.println("  fix:      " + f.fix());
        }
        out.flush();
    }

    static ObjectNode json(Finding f) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("kind", f.kind().code());
        n.put("severity", f.severity().name());
        n.put("partner", f.partner());
        if (f.agreementId() != 0) {
            n.put("agreement", f.agreementId());
        }
        n.put("title", f.title());
        ObjectNode e = n.putObject("evidence");
        e.put("count", f.evidence().count());
        e.put("first", f.evidence().first() == null ? null : f.evidence().first().toString());
        e.put("last", f.evidence().last() == null ? null : f.evidence().last().toString());
        ArrayNode idx = e.putArray("indexes");
        f.evidence().indexes().forEach(idx::add);
        e.put("detail", f.evidence().detail());
        n.put("fix", f.fix());
        if (f.resolution() != null) {
            ObjectNode r = n.putObject("resolution");
            r.put("at", f.resolution().at().toString());
            r.put("actor", f.resolution().actor());
            r.put("note", f.resolution().note());
        }
        return n;
    }

    public static ObjectNode json(Findings.Report report) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("at", report.at().toString());
        root.put("from", report.period().from().toString());
        root.put("until", report.period().until().toString());
        AllowReplay.Result r = report.allowReplay();
        if (r != null) {
            ObjectNode rep = root.putObject("settingsViolatingAllows");
            rep.put("violations", r.violations());
            rep.put("replayed", r.replayed());
            rep.put("erased", r.unreadable());
            rep.put("onChangedConsent", r.onChangedConsent());
            rep.put("tookMillis", r.took().toMillis());
            ArrayNode sample = rep.putArray("sample");
            r.sample().forEach(v -> sample.addObject().put("index", v.index()).put("at", v.at().toString())
                    .put("partnerId", v.partnerId()).put("reasons", String.join(" ", v.reasons())));
        }
        ArrayNode list = root.putArray("findings");
        report.findings().forEach(f -> list.add(json(f)));
        return root;
    }
}
