package custos.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code custos} command: every operator task is one of its subcommands. */
@Command(name = "custos", mixinStandardHelpOptions = true, version = "custos 0.1.0",
        description = "Custos, the partner data-access gateway.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, ServeCommand.class, SeedCommand.class,
                ExplainCommand.class, ReplayCommand.class, BenchCommand.class, LogCommand.class,
                AdminCommands.OperatorCommand.class, AdminCommands.PartnerCommand.class, AdminCommands.PurposeCommand.class,
                AdminCommands.AgreementCommand.class})
public final class CustosCommand implements Runnable {

    // Helidon logs through java.util.logging at INFO; an operator's terminal wants warnings only.
    // Held in a field: JUL keeps loggers weakly, and a collected logger forgets its level.
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    /** The command tree with Custos's error policy: a failure is one readable line on stderr and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CustosCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("custos: " + OneLine.of(ex));
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("custos: " + ex.getMessage());
            return 2;
        });
        return cl;
    }
}
