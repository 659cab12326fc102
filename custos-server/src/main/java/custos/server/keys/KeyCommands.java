package custos.server.keys;

import custos.audit.NoteSigner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The commands that make key files: {@code custos log key generate} and {@code custos keys master generate}. */
public final class KeyCommands {
    private KeyCommands() {}

    /** A command that only groups others: run alone, it prints its usage. */
    abstract static class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** A command that writes one new key file and says what it wrote. */
    abstract static class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The key file to create.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(write(out));
            spec.commandLine().getOut().flush();
            return 0;
        }

        /** Writes the key to {@code file} and returns the line to print. */
        abstract String write(Path file);
    }

    /** {@code custos log key}. */
    @Command(name = "key", mixinStandardHelpOptions = true, description = "The log's signing key file (setting log.key).",
            subcommands = LogKeyGenerate.class)
    public static final class LogKey extends Group {}

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a new Ed25519 signing key (PKCS#8 PEM, permissions 0600; never overwrites) and print its"
                    + " verifier key. Point log.key at it; a gateway started with a new key rotates the log's key (docs/operations.md, Keys).")
    static final class LogKeyGenerate extends Generate {
        @Option(names = "--origin", defaultValue = "custos.local/log", description = "The log's origin (setting log.origin; default ${DEFAULT-VALUE}).")
        String origin;

        @Override
        String write(Path file) {
            NoteSigner signer = LogKeyFile.generate(file, origin);
            return signer.verifierKey();
        }
    }

    /** {@code custos keys}. */
    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Key files kept out of the store (docs/operations.md, Keys).",
            subcommands = Master.class)
    public static final class Keys extends Group {}

    @Command(name = "master", mixinStandardHelpOptions = true, description = "The master key that wraps every person's key (setting keys.master).",
            subcommands = MasterGenerate.class)
    static final class Master extends Group {}

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a new AES-256 master key (base64, permissions 0600; never overwrites). A store's person keys"
                    + " are wrapped with the first master key it is started with, and refuse any other.")
    static final class MasterGenerate extends Generate {
        @Override
        String write(Path file) {
            MasterKey.generate().write(file);
            return "custos: wrote a new master key to " + file + " (keep a copy: without it no person's events can be read)";
        }
    }
}
