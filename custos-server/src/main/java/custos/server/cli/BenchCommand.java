package custos.server.cli;

import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.policy.load.DecisionLoop;
import custos.policy.load.PolicyViewLoader;
import custos.policy.load.RequestMix;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custos bench}: measures parts of Custos in this JVM, without a store. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the decision engine and the audit log.",
        subcommands = {BenchCommand.Decisions.class, BenchCommand.Audit.class})
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
        @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--people", defaultValue = "1000000", description = "People in the world (default: ${DEFAULT-VALUE}).")
        long people;

        @Override
        public Integer call() {
            if (seconds < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--seconds must be at least 1");
            }
            System.out.println("custos: building the policy view of " + people + " people...");
            PolicyView view = PolicyViewLoader.load(new WorldSpec(people, 1));
            DecisionRequest[] mix = RequestMix.build(view, people, 1 << 16, ReferenceWorld.AS_OF.minusSeconds(86_400), 7);
            System.out.println("decisions_per_second=" + (long) DecisionLoop.decisionsPerSecond(view, mix, seconds));
            return 0;
        }
    }

    /** {@code custos bench audit}: durable appends per second through group commit, on the configured store. */
    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Append access events from many threads for --seconds through the group-commit log on the store "
                    + "(CUSTOS_DB_URL, or the embedded store in --data); the last line is durable_appends_per_second=<number>.")
    static final class Audit implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--threads", defaultValue = "256", description = "Concurrent appenders (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--data", defaultValue = "data",
                description = "Data folder of the embedded store (default: ${DEFAULT-VALUE}); ignored when CUSTOS_DB_URL is set.")
        java.nio.file.Path data;

        @Override
        public Integer call() throws InterruptedException {
            if (seconds < 1 || threads < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--seconds and --threads must be at least 1");
            }
            try (var db = custos.server.store.Database.open(custos.server.store.DbConfig.fromEnvironment(data));
                 var log = new custos.server.audit.GroupCommitAccessLog(db.dataSource(), () -> { })) {
                System.out.println("custos: appending from " + threads + " threads for " + seconds + " s into " + db.description());
                java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                java.util.List<Thread> workers = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long person = 1 + t;
                    workers.add(Thread.ofVirtual().start(() -> {
                        while (System.nanoTime() < end) {
                            log.append(new custos.audit.AccessEvent(java.util.UUID.randomUUID(), java.time.Instant.now(), 1,
                                    "bench", "bench", "profile:read", person, person, java.util.List.of(),
                                    custos.policy.Outcome.ALLOW, java.util.List.of(), custos.policy.DecisionBasis.NONE, 1,
                                    java.util.List.of("id")));
                            done.increment();
                        }
                    }));
                }
                for (Thread w : workers) {
                    w.join();
                }
                System.out.println("durable_appends_per_second=" + done.sum() / seconds);
            }
            return 0;
        }
    }
}
