package custos.server.compliance;

import custos.compliance.Findings;
import custos.compliance.LogRange;
import custos.compliance.PeriodReport;
import custos.server.store.Database;
import custos.server.store.StoreLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos report}: a period's report from the log, per partner, as HTML, CSV and JSON. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Report from the log for a period, per partner: requests, allowed, denied by reason, records and"
                + " fields released, people reached directly and through friends, findings; HTML, CSV and JSON in --out.")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, description = "First day (UTC) or instant of the period.")
    String from;

    @Option(names = "--to", required = true, description = "Last day (UTC, inclusive) or instant (exclusive).")
    String to;

    @Option(names = "--partner", description = "Only this partner (slug).")
    String partner;

    @Option(names = "--out", required = true, description = "Folder to write report.html, report.csv and report.json into.")
    Path out;

    @Mixin
    StoreLocation store;

    @Override
    public Integer call() throws Exception {
        LogRange range = LogRange.period(Period.start("--from", from), Period.end("--to", to));
        try (Database db = store.openSealed()) {
            Compliance compliance = new Compliance(db.jdbi());
            var err = spec.commandLine().getErr();
            Compliance.Reported reported = compliance.report(range, partner,
                    (done, total) -> err.printf(Locale.ROOT, "custos: findings: replayed %,d of %,d entries%n", done, total),
                    (done, total) -> err.printf(Locale.ROOT, "custos: report: read %,d of %,d entries%n", done, total));
            PeriodReport report = reported.report();
            Findings.Report findings = reported.findings();
            List<Path> files = ReportFiles.write(report, out);
            var o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "custos: %,d entries, %d partners, %d findings (%s)%n", report.entries(),
                    report.partners().size(), report.findings().size(), FindingsOutput.replayLine(findings.allowReplay()));
            files.forEach(f -> o.println("  " + f));
            o.flush();
        }
        return 0;
    }
}
