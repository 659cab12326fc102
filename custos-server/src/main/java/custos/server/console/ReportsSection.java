package custos.server.console;

import custos.compliance.LogRange;
import custos.compliance.Progress;
import custos.server.compliance.Compliance;
import custos.server.compliance.ReportFiles;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * The console's reports: the same period report as {@code ./custos report} (per partner: requests, allowed, denied by
 * reason, records and fields released, people reached, findings), for staff to read or hand over as CSV. Counts,
 * reasons and ids only, so an auditor may run it too.
 */
final class ReportsSection implements ConsoleSection {
    static final String PATH = "/console/reports";
    private final Compliance compliance;

    ReportsSection(Compliance compliance) {
        this.compliance = compliance;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String title() {
        return "Reports";
    }

    /** What was asked: a period of UTC days and, optionally, one partner. */
    record Asked(UtcDays days, String partner) {
        LogRange range() {
            return days.range();
        }

        String query() {
            return "from=" + days.from() + "&to=" + days.to() + (partner == null ? "" : "&partner=" + partner);
        }
    }

    @Override
    public void register(HttpRouting.Builder routing, ConsoleContext ctx) {
        routing.get(PATH, (req, res) -> ctx.page(req, res).ifPresent(signed -> {
            boolean asked = req.query().first("from").isPresent() || req.query().first("to").isPresent();
            Optional<Asked> a = asked(req);
            ConsoleView.Chrome chrome = ctx.chrome(signed, PATH);
            if (!asked) {
                ctx.pages().send(res, "console/reports.jte", new ConsoleView.ReportPage(chrome, "", "", "", null, null));
                return;
            }
            Optional<String> problem = a.isEmpty() ? Optional.of("The period is two dates (YYYY-MM-DD), the first not after the second.")
                    : Optional.empty();
            String html = null;
            if (a.isPresent()) {
                try {
                    // One level down: the console page has its own h1.
                    html = ReportFiles.html(compliance.report(a.get().range(), a.get().partner(), Progress.NONE, Progress.NONE).report())
                            .replace("<h3", "<h4").replace("</h3>", "</h4>").replace("<h2", "<h3").replace("</h2>", "</h3>")
                            .replace("<h1", "<h2").replace("</h1>", "</h2>");
                } catch (IllegalArgumentException e) {
                    problem = Optional.of(e.getMessage());
                }
            }
            if (problem.isPresent()) {
                res.status(Status.BAD_REQUEST_400);
                chrome = chrome.withError(problem.get());
            }
            ctx.pages().send(res, "console/reports.jte", new ConsoleView.ReportPage(chrome,
                    req.query().first("from").orElse(""), req.query().first("to").orElse(""), req.query().first("partner").orElse(""),
                    html, a.isPresent() && problem.isEmpty() ? PATH + "/report.csv?" + a.get().query() : null));
        })).get(PATH + "/report.csv", (req, res) -> ctx.page(req, res).ifPresent(signed -> {
            Optional<Asked> a = asked(req);
            if (a.isEmpty()) {
                res.status(Status.BAD_REQUEST_400);
                res.send("The period is two dates (YYYY-MM-DD), the first not after the second.");
                return;
            }
            String csv;
            try {
                csv = ReportFiles.csv(compliance.report(a.get().range(), a.get().partner(), Progress.NONE, Progress.NONE).report());
            } catch (IllegalArgumentException e) {
                res.status(Status.BAD_REQUEST_400);
                res.send(e.getMessage());
                return;
            }
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"custos-report-" + a.get().days().from() + "-" + a.get().days().to() + ".csv\"");
            res.send(csv);
        }));
    }

    private static Optional<Asked> asked(ServerRequest req) {
        String partner = req.query().first("partner").filter(p -> !p.isBlank()).orElse(null);
        return UtcDays.parse(req.query().first("from").orElse(""), req.query().first("to").orElse(""))
                .filter(d -> !d.from().plusYears(10).isBefore(d.to()))
                .map(d -> new Asked(d, partner));
    }
}
