package custos.server.cli;

import custos.audit.AccessEvent;
import custos.audit.EntryReceipt;
import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.NoteVerifier;
import custos.server.audit.ReceiptJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custos log}: the audit log as an outsider checks it. */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Work with the verifiable audit log.",
        subcommands = {LogCommand.Verify.class, LogCommand.VerifyReceipt.class, LogMonitorCommand.class,
                custos.server.keys.KeyCommands.LogKey.class})
public final class LogCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Recomputes the whole tree from a server or a mirror and checks it against the signed checkpoint(s). */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Fetch the checkpoint and entry tiles, recompute the tree, check the signature, and check "
                    + "consistency with an earlier checkpoint. Exit 0: verified; 1: the log is bad; 2: could not check "
                    + "(unreachable server, bad URL, key or file).")
    static final class Verify implements Callable<Integer> {
        static final class Where {
            @Option(names = "--server", description = "Base URL of a running Custos, e.g. http://localhost:8080") String server;
            @Option(names = "--mirror", description = "A directory mirror of the log (checkpoint, tile/...)") Path mirror;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;

        @Option(names = "--key", description = "The log's verifier key (default: the server's /log/key or the mirror's key file; pin it instead).")
        String key;

        @Option(names = "--from-checkpoint", description = "An earlier signed checkpoint the log must extend.")
        Path earlier;

        @Option(names = "--from-checkpoint-key", paramLabel = "VKEY",
                description = "The key that signed --from-checkpoint, when the log's key was rotated since (GET /log/keys lists them); default: --key.")
        String earlierKey;

        @Option(names = "--save-checkpoint", description = "Save the verified checkpoint here, for the next run's --from-checkpoint.")
        Path save;

        @Option(names = "--witness", paramLabel = "VKEY",
                description = "A witness's verifier key (c2sp.org/tlog-cosignature, Ed25519); repeat for each witness you trust.")
        java.util.List<String> witnesses = new java.util.ArrayList<>();

        @Option(names = "--min-witnesses", paramLabel = "K",
                description = "Cosignatures by distinct --witness keys the checkpoint needs (default: all of them).")
        Integer minWitnesses;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LogAuditor.Source source;
            String fetchedKey;
            if (where.server != null) {
                LogSources.Server server = new LogSources.Server(LogSources.serverUrl(where.server));
                source = server;
                fetchedKey = key == null ? server.key() : null;
            } else {
                source = LogSources.mirror(where.mirror);
                fetchedKey = key == null ? LogSources.readFile(where.mirror.resolve("key"), "mirror's key") : null;
            }
            NoteVerifier verifier = key != null ? LogSources.key(key, "--key") : LogSources.key(fetchedKey, "the log's own key");
            if (key == null) {
                spec.commandLine().getErr().println("custos: warning: the verifier key came from the log being checked; a log"
                        + " rewritten by its operator can come with a new key, so pin the key with --key");
            }
            String earlierNote = earlier == null ? null : LogSources.readFile(earlier, "earlier checkpoint");
            NoteVerifier earlierVerifier = earlierKey == null ? verifier : LogSources.key(earlierKey, "--from-checkpoint-key");
            if (earlierNote != null) {
                try {
                    earlierVerifier.verify(earlierNote);
                } catch (InvalidProofException e) {
                    throw new CouldNotCheck(earlier + " is not a checkpoint signed by this key: " + e.getMessage());
                }
            }
            WitnessQuorum quorum = WitnessQuorum.of(witnesses, minWitnesses);
            String[] verified = new String[1];
            LogAuditor.Source read = source;
            LogAuditor.Source remembering = new LogAuditor.Source() {
                @Override
                public String checkpoint() throws Exception {
                    verified[0] = read.checkpoint();
                    return verified[0];
                }

                @Override
                public byte[] read(String tilePath) throws Exception {
                    return read.read(tilePath);
                }
            };
            LogAuditor.Result result;
            String cosigned;
            try {
                result = LogAuditor.verify(remembering, verifier, earlierNote, earlierVerifier);
                cosigned = quorum.check(verified[0]);
            } catch (InvalidProofException e) {
                throw new IllegalStateException("log verification FAILED: " + e.getMessage());
            }
            String checkpoint = verified[0];
            if (save != null) {
                Files.writeString(save, checkpoint);
            }
            spec.commandLine().getOut().println("log verified: " + result.entries() + " entries recompute to the signed root "
                    + Base64.getEncoder().encodeToString(result.checkpoint().root()) + " of " + result.checkpoint().origin()
                    + (earlierNote == null ? "" : "; consistent with the earlier checkpoint"));
            if (cosigned != null) spec.commandLine().getOut().println(cosigned);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /**
     * Checks one receipt file offline (docs/receipts.md): the checkpoint's signature, the opening against the
     * commitment, the leaf hash, and the inclusion proof to the signed root; then says in a few lines what it proves.
     */
    @Command(name = "verify-receipt", mixinStandardHelpOptions = true,
            description = "Check a receipt file (from /account/history/INDEX/receipt or one entry of data.json) with the"
                    + " log's verifier key, and print what it proves. Exits 1 on any mismatch.")
    static final class VerifyReceipt implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The receipt file (JSON).")
        Path file;

        @Option(names = "--key", required = true, paramLabel = "VKEY",
                description = "The log's verifier key (name+keyid+key), from a source you trust.")
        String key;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            EntryReceipt.Verified v;
            EntryReceipt receipt;
            try {
                NoteVerifier verifier = LogSources.key(key, "--key");
                if (!Files.isRegularFile(file)) throw new CouldNotCheck("no receipt file " + file);
                receipt = ReceiptJson.parse(Files.readString(file));
                v = receipt.verify(verifier);
            } catch (InvalidProofException | java.nio.charset.MalformedInputException e) {
                throw new IllegalStateException("receipt verification FAILED: " + e.getMessage());
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.println("receipt verified: entry " + receipt.index() + " is in " + v.checkpoint().origin()
                    + ", whose key signed the tree of " + v.checkpoint().size() + " entries that contains it");
            AccessEvent e = v.event();
            if (e == null) {
                out.println("  no opening: this receipt proves the entry is in the log, not what it says"
                        + " (a co-subject's receipt: the event is its subject's record)");
            } else {
                out.println("  person   " + e.subject() + (e.actor() != 0 && e.actor() != e.subject() ? " (asked for by person " + e.actor() + ")" : ""));
                out.println("  partner  " + e.partnerId() + ", client " + e.clientId());
                out.println("  purpose  " + e.purpose());
                out.println("  scope    " + e.scope());
                out.println("  outcome  " + e.outcome() + (e.reasons().isEmpty() ? "" : ": " + String.join(", ", e.reasons())));
                out.println("  released " + e.records() + " records" + (e.fields().isEmpty() ? "" : ": " + String.join(", ", e.fields())));
                if (!e.coSubjects().isEmpty()) out.println("  also     people " + e.coSubjects());
                out.println("  time     " + e.at());
            }
            out.flush();
            return 0;
        }
    }
}
