package custos.server.cli;

import custos.audit.AccessEvent;
import custos.audit.EntryReceipt;
import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.NoteVerifier;
import custos.server.audit.ReceiptJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
        subcommands = {LogCommand.Verify.class, LogCommand.VerifyReceipt.class})
public final class LogCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Recomputes the whole tree from a server or a mirror and checks it against the signed checkpoint(s). */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Fetch the checkpoint and entry tiles, recompute the tree, check the signature, and check "
                    + "consistency with an earlier checkpoint. Exits 1 on any mismatch.")
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

        @Option(names = "--save-checkpoint", description = "Save the verified checkpoint here, for the next run's --from-checkpoint.")
        Path save;

        @Override
        public Integer call() throws Exception {
            LogAuditor.Source source = where.server != null ? http(where.server.replaceAll("/+$", "")) : mirror(where.mirror);
            String verifierKey = key != null ? key : new String(source.read("key"), StandardCharsets.UTF_8).strip();
            String earlierNote = earlier == null ? null : Files.readString(earlier);
            LogAuditor.Result result;
            try {
                result = LogAuditor.verify(source, NoteVerifier.parse(verifierKey), earlierNote);
            } catch (InvalidProofException e) {
                throw new IllegalStateException("log verification FAILED: " + e.getMessage());
            }
            if (save != null) {
                Files.writeString(save, source.checkpoint());
            }
            System.out.println("log verified: " + result.entries() + " entries recompute to the signed root "
                    + Base64.getEncoder().encodeToString(result.checkpoint().root()) + " of " + result.checkpoint().origin()
                    + (earlierNote == null ? "" : "; consistent with the earlier checkpoint"));
            return 0;
        }

        private static LogAuditor.Source http(String base) {
            HttpClient client = HttpClient.newHttpClient();
            return new LogAuditor.Source() {
                @Override
                public String checkpoint() throws Exception {
                    return new String(read("checkpoint"), StandardCharsets.UTF_8);
                }

                @Override
                public byte[] read(String path) throws Exception {
                    HttpResponse<byte[]> res = client.send(HttpRequest.newBuilder(URI.create(base + "/log/" + path)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (res.statusCode() != 200) {
                        throw new InvalidProofException(base + "/log/" + path + " answered " + res.statusCode());
                    }
                    return res.body();
                }
            };
        }

        private static LogAuditor.Source mirror(Path dir) {
            return new LogAuditor.Source() {
                @Override
                public String checkpoint() throws Exception {
                    return Files.readString(dir.resolve("checkpoint"));
                }

                @Override
                public byte[] read(String path) throws Exception {
                    Path file = dir.resolve(path);
                    if (!Files.isRegularFile(file)) {
                        throw new InvalidProofException("the mirror has no " + path);
                    }
                    return Files.readAllBytes(file);
                }
            };
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
                if (!Files.isRegularFile(file)) throw new InvalidProofException("no receipt file " + file);
                receipt = ReceiptJson.parse(Files.readString(file));
                v = receipt.verify(NoteVerifier.parse(key));
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
