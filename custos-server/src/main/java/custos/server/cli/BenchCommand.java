package custos.server.cli;

import custos.audit.AccessEvent;
import custos.audit.EventIds;
import custos.audit.InputCitations;
import custos.audit.NoteSigner;
import custos.policy.DecisionBasis;
import custos.policy.DecisionRequest;
import custos.policy.Outcome;
import custos.policy.PolicyView;
import custos.world.load.DecisionLoop;
import custos.world.load.PolicyViewLoader;
import custos.world.load.RequestMix;
import custos.world.ReferenceWorld;
import custos.server.audit.GroupCommitAccessLog;
import custos.server.audit.LogIntegrator;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.world.WorldSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custos bench}: measures the decision engine in memory and the audit log on the configured store. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the decision engine and the audit log.",
        subcommands = {BenchCommand.Decisions.class, BenchCommand.Audit.class, custos.server.witness.WitnessBench.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code custos bench decisions}: single-threaded decisions per second on the reference world's request mix. */
    @Command(name = "decisions", mixinStandardHelpOptions = true,
            description = "Build the reference world's policy view in memory and decide its request mix on one thread; "
                    + "the last line is decisions_per_second=<number>.")
    static final class Decisions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--people", defaultValue = "1000000", description = "People in the world (default: ${DEFAULT-VALUE}).")
        long people;

        @Override
        public Integer call() {
            if (seconds < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be at least 1");
            }
            System.out.println("custos: building the policy view of " + people + " people...");
            PolicyView view = PolicyViewLoader.load(new WorldSpec(people, 1));
            DecisionRequest[] mix = RequestMix.build(view, people, 1 << 16, ReferenceWorld.AS_OF.minusSeconds(86_400), 7);
            System.out.println("decisions_per_second=" + (long) DecisionLoop.decisionsPerSecond(view, mix, seconds));
            return 0;
        }
    }

    /**
     * {@code custos bench audit}: durable appends per second through group commit, on a throw-away database of the
     * configured store's PostgreSQL: its entries are fake, so they never go into the store's own log.
     */
    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Append access events from many threads for --seconds through the group-commit log, with the log "
                    + "integrator and checkpoint signer running as in the server; then rebuild the tree from the store. It runs "
                    + "on a throw-away database created on the store's PostgreSQL (CUSTOS_DB_URL's server, or the embedded "
                    + "PostgreSQL in --data) and dropped afterwards: the store's own log is never written. The last line is "
                    + "durable_appends_per_second=<number>.")
    static final class Audit implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup", defaultValue = "10",
                description = "Seconds of the same load before the measured ones, not counted: the JIT compiles the hot code "
                        + "in them, as in a gateway that has been running (default: ${DEFAULT-VALUE}; 0 measures from a cold JVM).")
        int warmup;

        @Option(names = "--threads", defaultValue = "4096",
                description = "Concurrent appenders, each waiting for its entry like a request would (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--data", defaultValue = "data",
                description = "Data folder of the embedded PostgreSQL to benchmark on, in a throw-away database (default: "
                        + "${DEFAULT-VALUE}); ignored when CUSTOS_DB_URL is set.")
        Path data;

        @Option(names = "--with-inputs", defaultValue = "0", paramLabel = "PEOPLE",
                description = "Also commit decision inputs while appending (issue 15): seed a world of PEOPLE people into the "
                        + "throw-away database, commit its snapshot, and change settings versions throughout the run, each "
                        + "committed as an input entry beside the access entries (default: off).")
        int withInputs;

        @Option(names = "--input-rate", defaultValue = "0", paramLabel = "PER_SECOND",
                description = "With --with-inputs: settings changes committed per second (default: 0, as fast as one client "
                        + "can commit them, each a durable transaction of its own).")
        int inputRate;

        @Override
        public Integer call() throws InterruptedException {
            if (seconds < 1 || threads < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--seconds and --threads must be at least 1");
            }
            if (warmup < 0 || inputRate < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--warmup and --input-rate must be 0 or more");
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            // Never the store's own database: 35,222 fake ALLOW entries once went into a real log that way (issue 11).
            try (Database db = Database.scratch(DbConfig.fromEnvironment(data), "custos_bench")) {
                // A throw-away store: a key made for this run, its public half recorded like any log's.
                NoteSigner signer = NoteSigner.generate("custos.bench/audit");
                long appended;
                long measured;
                long integrated;
                try (LogIntegrator integrator = new LogIntegrator(db.jdbi(), signer);
                     GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), integrator::committed);
                     BenchInputs inputs = BenchInputs.start(db, integrator, withInputs, out)) {
                    long before = integrator.tree().size();
                    out.println("custos: appending from " + threads + " threads for " + warmup + " s of warm-up and " + seconds
                            + " measured s into " + db.description() + " (" + before + " entries already)");
                    out.flush();
                    inputs.changeFor(warmup + seconds, inputRate);
                    Window window = appendFor(log, inputs);
                    appended = window.total();
                    measured = window.measured();
                    inputs.report(out, window.changesMeasured(), seconds);
                    integrator.awaitCheckpoint(before + appended, Duration.ofSeconds(60));
                    integrated = integrator.tree().size() - before;
                }
                out.println("custos: " + appended + " durable entries, " + integrated + " integrated and checkpointed");
                long start = System.nanoTime();
                try (LogIntegrator rebuilt = new LogIntegrator(db.jdbi(), signer)) {
                    double s = (System.nanoTime() - start) / 1e9;
                    out.printf("custos: tree of %d leaves rebuilt from the store in %.1f s: integrated_leaves_per_second=%d%n",
                            rebuilt.tree().size(), s, (long) (rebuilt.tree().size() / s));
                }
                out.println("custos: " + measured + " access entries made durable in the " + seconds + " measured s");
                out.println("durable_appends_per_second=" + measured / seconds);
                out.flush();
            }
            return 0;
        }

        /** Counts of a run: every durable append, those of the measured seconds, and the input changes in them. */
        private record Window(long total, long measured, long changesMeasured) {}

        private Window appendFor(GroupCommitAccessLog log, BenchInputs inputs) throws InterruptedException {
            LongAdder done = new LongAdder();
            long start = System.nanoTime();
            long measuredFrom = start + warmup * 1_000_000_000L;
            long end = measuredFrom + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long person = 1 + t;
                InputCitations cites = new InputCitations(1, List.of(new InputCitations.Cited(person, 1)));
                workers.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < end) {
                        // What the gateway writes for a profile read: a version 4 entry citing the partner and the person.
                        log.append(new AccessEvent(EventIds.next(), Instant.now(), 1, "bench", "bench", "profile:read",
                                person, person, List.of(), Outcome.ALLOW, List.of(), DecisionBasis.NONE, 1, List.of("id"), 1L,
                                cites));
                        done.increment();
                    }
                }));
            }
            sleepUntil(measuredFrom);
            long doneBefore = done.sum();
            long changesBefore = inputs.changes();
            sleepUntil(end);
            long doneAtEnd = done.sum();
            long changesAtEnd = inputs.changes();
            for (Thread w : workers) {
                w.join();
            }
            return new Window(done.sum(), doneAtEnd - doneBefore, changesAtEnd - changesBefore);
        }

        private static void sleepUntil(long nanoTime) throws InterruptedException {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                Thread.sleep(Duration.ofNanos(left));
            }
        }
    }
}
