package custos.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code custos} command: every operator task is one of its subcommands. */
@Command(name = "custos", mixinStandardHelpOptions = true, versionProvider = CustosCommand.Version.class,
        description = "Custos, the partner data-access gateway.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, ServeCommand.class, ConfigCommand.class, SeedCommand.class,
                ExplainCommand.class, ReplayCommand.class, BenchCommand.class, LogCommand.class, AuditCommand.class,
                AdminCommands.OperatorCommand.class, AdminCommands.PartnerCommand.class, AdminCommands.PurposeCommand.class,
                AdminCommands.AgreementCommand.class,
                custos.server.compliance.FindingsCommand.class, custos.server.compliance.ReportCommand.class,
                custos.server.compliance.ExposureCommand.class, custos.server.witness.WitnessCommand.class,
                custos.server.keys.KeyCommands.Keys.class})
public final class CustosCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code custos --version}: the build's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"custos " + custos.server.Version.CURRENT};
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        try {
            custos.server.logs.LogSetup.forCommand(args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            System.err.println("custos: " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    /** The command tree with Custos's error policy: a failure is one readable line on stderr and exit code 1 (2 for a bad option or a check that could not be made). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CustosCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof custos.server.config.InvalidSettings invalid) {
                invalid.problems().forEach(p -> cmd.getErr().println("custos: config: " + p));
                return 2;
            }
            if (ex instanceof CouldNotCheck) {
                cmd.getErr().println("custos: could not check: " + OneLine.of(ex));
                return CouldNotCheck.EXIT;
            }
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
