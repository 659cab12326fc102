package custos.server.cli;

import custos.server.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code custos config}: checks the configuration {@code serve} would run with and prints it, each value with its source. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check the configuration serve would use (same --config, --set, flags and CUSTOS_* variables) and print"
                + " every setting with where it came from. Exit 2 with one line per mistake.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = config.load();
        settings.describe().forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
