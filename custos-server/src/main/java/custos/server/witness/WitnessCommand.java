package custos.server.witness;

import custos.audit.CosignatureSigner;
import custos.audit.InvalidProofException;
import custos.audit.NoteVerifier;
import custos.audit.witness.Witness;
import custos.audit.witness.WitnessState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos witness}: a C2SP tlog-witness that cosigns the checkpoints of the logs it is given. */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = "Run a witness (c2sp.org/tlog-witness): it cosigns a log's checkpoint only when it is consistent with"
                + " the last one it cosigned for that log, and keeps that state in --state.",
        subcommands = WitnessCommand.Keygen.class)
public final class WitnessCommand implements Callable<Integer> {
    @Option(names = "--state", paramLabel = "DIR", description = "Directory of the witness's durable state (one file per log).")
    Path state;

    @Option(names = "--key", paramLabel = "FILE", description = "The witness's key file (from `custos witness keygen`).")
    Path key;

    @Option(names = "--log", paramLabel = "VKEY", description = "A log's verifier key (its name is the log's origin); repeat for more logs or keys.")
    List<String> logs = new ArrayList<>();

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "9001", description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (state == null || key == null || logs.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a witness needs --state DIR, --key FILE and at least one --log VKEY");
        }
        try (WitnessServer server = start(state, key, logs, host, port)) {
            spec.commandLine().getOut().println("custos witness " + WitnessKeyFile.read(key).verifierKey() + " listening on http://"
                    + host + ":" + server.port() + "/ for " + String.join(", ", logs));
            spec.commandLine().getOut().flush();
            new CountDownLatch(1).await(); // until the process is stopped
        }
        return 0;
    }

    /** Starts a witness server over a state directory, a key file and the trusted log keys. */
    public static WitnessServer start(Path state, Path keyFile, List<String> logKeys, String host, int port) throws java.io.IOException {
        CosignatureSigner signer = WitnessKeyFile.read(keyFile);
        List<NoteVerifier> verifiers = new ArrayList<>();
        for (String vkey : logKeys) {
            try {
                verifiers.add(NoteVerifier.parse(vkey));
            } catch (InvalidProofException e) {
                throw new IllegalArgumentException("--log " + vkey + " is not a log verifier key (name+keyid+base64): " + e.getMessage());
            }
        }
        Witness witness = new Witness(signer, verifiers, new WitnessState(state), () -> System.currentTimeMillis() / 1000);
        return WitnessServer.start(witness, host, port);
    }

    /** {@code custos witness keygen}: a new witness key file; prints the verifier key logs and auditors configure. */
    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Create a witness key file and print its verifier key.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key (refuses to overwrite).")
        Path out;

        @Option(names = "--name", required = true, description = "The witness's name, a schema-less URL such as witness.example.com/w1.")
        String name;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CosignatureSigner signer = CosignatureSigner.generate(name);
            WitnessKeyFile.create(out, signer);
            spec.commandLine().getOut().println(signer.verifierKey());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
