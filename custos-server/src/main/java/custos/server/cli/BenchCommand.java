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
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the decision engine.",
        subcommands = {BenchCommand.Decisions.class})
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
}
