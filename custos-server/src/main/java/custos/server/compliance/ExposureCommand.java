package custos.server.compliance;

import custos.compliance.ExposureAssessment;
import custos.compliance.ExposureReport;
import custos.compliance.LegacyAccess;
import custos.compliance.PartnerExposure;
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

/** {@code custos exposure}: what Custos would have denied of a legacy system's access log, and why. */
@Command(name = "exposure", mixinStandardHelpOptions = true,
        description = "Assess a legacy access log (docs/legacy-log-format.md): decide every line with the engine against"
                + " the store's agreements, consents and settings, and report per partner what would have been denied.")
public final class ExposureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--log", required = true, description = "The legacy log (CSV or JSON).")
    Path log;

    @Option(names = "--format", description = "csv or json (default: by the file's extension).")
    String format;

    @Option(names = "--out", required = true, description = "Folder to write exposure.html, exposure.csv, exposure.json into.")
    Path out;

    @Mixin
    StoreLocation store;

    @Override
    public Integer call() throws Exception {
        List<LegacyAccess> lines = LegacyLogFiles.read(log, format);
        try (Database db = store.open()) {
            Compliance compliance = new Compliance(db.jdbi());
            var err = spec.commandLine().getErr();
            ExposureReport report = new ExposureAssessment(compliance.historyEngine(), compliance.partners())
                    .assess(log.getFileName().toString(), lines,
                            (done, total) -> err.printf(Locale.ROOT, "custos: decided %,d of %,d lines%n", done, lines.size()));
            List<Path> files = ExposureFiles.write(report, out);
            var o = spec.commandLine().getOut();
            PartnerExposure t = report.total();
            o.printf(Locale.ROOT, "custos: %,d lines; Custos would have denied %,d (%,d people, %,d fields exposed)%n",
                    t.lines(), t.wouldDeny(), t.peopleExposed(), t.fieldsExposed());
            for (PartnerExposure p : report.partners().stream().limit(10).toList()) {
                o.printf(Locale.ROOT, "  %-12s %,6d of %,6d denied: %s%n", p.partner(), p.wouldDeny(), p.lines(),
                        ExposureFiles.counts(p.deniedBy(), ", "));
            }
            files.forEach(f -> o.println("  " + f));
            o.flush();
        }
        return 0;
    }
}
