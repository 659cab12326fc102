package custos.server.keys;

import custos.audit.NoteSigner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos log key}: the log's signing key file. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "The log's signing key file (setting log.key).",
        subcommands = LogKeyCommand.Generate.class)
public final class LogKeyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Writes a new Ed25519 key (PKCS#8 PEM, 0600) and prints its verifier key. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a new Ed25519 signing key (PKCS#8 PEM, permissions 0600; never overwrites) and print its"
                    + " verifier key. Point log.key at it; a gateway started with a new key rotates the log's key (docs/operations.md, Keys).")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The key file to create.")
        Path out;

        @Option(names = "--origin", defaultValue = "custos.local/log", description = "The log's origin (setting log.origin; default ${DEFAULT-VALUE}).")
        String origin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            NoteSigner signer = LogKeyFile.generate(out, origin);
            spec.commandLine().getOut().println(signer.verifierKey());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
