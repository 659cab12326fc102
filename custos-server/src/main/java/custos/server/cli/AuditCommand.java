package custos.server.cli;

import custos.server.audit.BundleExport;
import custos.server.audit.bundle.AuditBundle;
import custos.server.audit.bundle.BundleCheck;
import custos.server.compliance.Period;
import custos.server.store.Database;
import custos.server.store.StoreLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custos audit}: auditor bundles of committed decisions and their inputs (docs/bundle-format.md). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Write an auditor bundle (operator side) or check one without a database (auditor side).",
        subcommands = {AuditCommand.Export.class, AuditCommand.Check.class})
public final class AuditCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Writes a partner's entries of a period, and the inputs they cite, with proofs to the latest signed checkpoint. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the openings of every access entry of --partner in the period (or a sample drawn from the "
                    + "root of --seed-checkpoint) and of every decision input they cite, each with its inclusion proof to "
                    + "the log's latest signed checkpoint. Run it on a store whose gateway runs (or ran last): inputs and "
                    + "checkpoints are written by the gateway.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--partner", required = true, description = "The partner's slug.")
        String partner;

        @Option(names = "--from", required = true, description = "First day (UTC) or instant of the period.")
        String from;

        @Option(names = "--to", required = true, description = "Last day (UTC, inclusive) or instant (exclusive).")
        String to;

        @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "The bundle file to write.")
        Path out;

        @Option(names = "--sample", paramLabel = "N", description = "Show only N access entries, drawn from the seed checkpoint's root.")
        Integer sample;

        @Option(names = "--seed-checkpoint", paramLabel = "FILE",
                description = "A signed checkpoint the auditor names (a note file); its root seeds the sample.")
        Path seedCheckpoint;

        @Mixin
        StoreLocation store;

        @Override
        public Integer call() throws Exception {
            if ((sample == null) != (seedCheckpoint == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sample and --seed-checkpoint go together");
            }
            if (sample != null && sample < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sample must be at least 1");
            }
            String seed = seedCheckpoint == null ? null : readFile(seedCheckpoint, "seed checkpoint");
            BundleExport.Request request = new BundleExport.Request(partner, Period.start("--from", from), Period.end("--to", to),
                    from, to, sample, seed);
            AuditBundle bundle;
            try (Database db = store.openSealed()) {
                bundle = new BundleExport(db.jdbi()).export(request);
            }
            bundle.write(out);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "custos: bundle of %,d entries (%s) for %s written to %s%n", bundle.entries().size(),
                    bundle.sample() == null ? "every access in the period" : bundle.sample().n() + " drawn of "
                            + bundle.sample().population().size() + " accesses", partner, out);
            o.flush();
            return 0;
        }
    }

    /** Checks a bundle offline: exit 0 clean, 1 problems found, 2 could not check. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check an auditor bundle with no database: the checkpoint's signature, every opening against its "
                    + "commitment, every inclusion proof, a sample's draw, and every access decision re-decided by the decision "
                    + "engine from the bundle's inputs alone. Exit 0: clean; 1: problems found (listed); 2: could not check.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle file.")
        Path bundle;

        @Option(names = "--key", required = true, paramLabel = "VKEY",
                description = "The log's verifier key (name+keyid+key), from a source you trust.")
        String key;

        @Option(names = "--witness", paramLabel = "VKEY", description = "A witness whose cosignature the checkpoint must carry.")
        List<String> witnesses = List.of();

        @Override
        public Integer call() {
            BundleCheck.Report report;
            try {
                report = BundleCheck.check(AuditBundle.read(bundle), key, witnesses);
            } catch (IOException e) {
                throw new CouldNotCheck("cannot read the bundle " + bundle + ": " + OneLine.of(e));
            } catch (BundleCheck.CouldNotCheck e) {
                throw new CouldNotCheck(e.getMessage());
            }
            PrintWriter o = spec.commandLine().getOut();
            var r = report.redecided();
            o.printf(Locale.ROOT, "custos: %d entries checked against the checkpoint of %d entries (%s): %d accesses, %d inputs%n",
                    report.entries(), report.checkpoint().size(), report.checkpoint().origin(), report.accesses(), report.inputs());
            o.printf(Locale.ROOT, "custos: re-decided %d accesses in %.3f s: %d allows, %d denies, %d unjustified allows, "
                            + "%d missing inputs%n", r.decided(), report.redecideNanos() / 1e9, r.allows(), r.denies(),
                    r.unjustified().size(), r.missing().size());
            report.notes().forEach(n -> o.println("  note: " + n));
            report.problems().forEach(p -> o.println("PROBLEM " + p));
            o.println(report.clean() ? "bundle CLEAN" : "bundle has " + report.problems().size() + " PROBLEMS");
            o.flush();
            return report.clean() ? 0 : 1;
        }
    }

    private static String readFile(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CouldNotCheck("cannot read the " + what + " " + file + ": " + OneLine.of(e));
        }
    }
}
