package custos.server.keys;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos keys}: the master key that wraps every person's key. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Key files kept out of the store (docs/operations.md, Keys).",
        subcommands = KeysCommand.Master.class)
public final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code custos keys master}. */
    @Command(name = "master", mixinStandardHelpOptions = true, description = "The master key (setting keys.master).",
            subcommands = Generate.class)
    static final class Master implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** Writes a new AES-256 master key. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a new AES-256 master key (base64, permissions 0600; never overwrites). A store's person keys"
                    + " are wrapped with the first master key it is started with, and refuse any other.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The key file to create.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            MasterKey.generate().write(out);
            spec.commandLine().getOut().println("custos: wrote a new master key to " + out + " (keep a copy: without it no"
                    + " person's events can be read)");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
