package custos.server.cli;

import custos.audit.Checkpoint;
import custos.audit.CheckpointMonitor;
import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.NoteVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos log monitor}: an outside auditor's monitor of one log, as a Certificate Transparency monitor watches
 * its logs. The first round recomputes the whole tree; every later round proves the newest checkpoint extends the last
 * one accepted. What it has accepted lives in the state directory, so a restart (or a cron job with {@code --once})
 * keeps proving against the same history; an alert stays there until a person removes it.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch a log: check every new checkpoint's signature and that it extends the last accepted one "
                + "(state kept in --state). Exit 1 with an ALERT line when the log shrank, forked or was re-signed; "
                + "2 when it could not be checked (with --once).")
final class LogMonitorCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "Base URL of a running Custos, e.g. http://localhost:8080")
    String server;

    @Option(names = "--state", required = true, paramLabel = "DIR",
            description = "Directory of the monitor's state: the pinned key, the last accepted checkpoint, every checkpoint seen, an alert.")
    Path state;

    @Option(names = "--key", paramLabel = "VKEY", description = "The log's verifier key; pinned in the state on the first run.")
    String key;

    @Option(names = "--every", paramLabel = "SECONDS", defaultValue = "60", description = "Seconds between rounds (default 60).")
    long every;

    @Option(names = "--once", description = "One round, then exit (for cron).")
    boolean once;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (every < 1) throw new CouldNotCheck("--every must be at least 1 second");
        LogSources.Server log = new LogSources.Server(LogSources.serverUrl(server));
        Files.createDirectories(state);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path alert = state.resolve("alert");
        if (Files.exists(alert)) {
            err.println("custos: ALERT (from an earlier round; remove " + alert + " once handled): "
                    + Files.readString(alert).strip());
            err.flush();
            return 1;
        }
        NoteVerifier verifier = LogSources.key(pinnedKey(log, err), "the pinned key");
        while (true) {
            try {
                round(log, verifier, out);
            } catch (InvalidProofException e) {
                String line = Instant.now() + " " + e.getMessage();
                write(alert, line + "\n");
                err.println("custos: ALERT: " + e.getMessage());
                err.flush();
                return 1;
            } catch (CouldNotCheck e) {
                if (once) throw e;
                err.println("custos: could not check at " + Instant.now() + ": " + OneLine.of(e) + "; next round in " + every + " s");
                err.flush();
            }
            if (once) return 0;
            Thread.sleep(Duration.ofSeconds(every));
        }
    }

    private void round(LogSources.Server log, NoteVerifier verifier, PrintWriter out) throws Exception {
        Path saved = state.resolve("checkpoint");
        Checkpoint last = null;
        if (Files.exists(saved)) {
            try {
                last = Checkpoint.parse(verifier.verify(Files.readString(saved)));
            } catch (InvalidProofException e) {
                throw new CouldNotCheck("the state's checkpoint " + saved + " is not signed by the pinned key: " + e.getMessage());
            }
        }
        String note;
        Checkpoint now;
        if (last == null) {
            // The first checkpoint is trusted only after every entry under it recomputes to its root.
            String[] fetched = new String[1];
            LogAuditor.Source recording = new LogAuditor.Source() {
                @Override
                public String checkpoint() {
                    return fetched[0] = log.checkpoint();
                }

                @Override
                public byte[] read(String tilePath) throws Exception {
                    return log.read(tilePath);
                }
            };
            now = LogAuditor.verify(recording, verifier, null).checkpoint();
            note = fetched[0];
            out.println("first checkpoint: " + now.size() + " entries recompute to its signed root " + b64(now.root()));
        } else {
            note = log.checkpoint();
            now = CheckpointMonitor.extend(verifier, last, note, log::consistency);
            if (now.size() == last.size()) {
                if (once) out.println("unchanged: " + now.size() + " entries, root " + b64(now.root()));
                out.flush();
                return;
            }
            out.println("checkpoint of " + now.size() + " entries extends the accepted " + last.size() + ", root " + b64(now.root()));
        }
        Files.writeString(state.resolve("seen"), Instant.now() + " " + now.size() + " " + b64(now.root()) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        write(saved, note);
        out.flush();
    }

    /** The key in the state, else --key, else the server's own (with a warning), pinned for every later round. */
    private String pinnedKey(LogSources.Server log, PrintWriter err) throws IOException {
        Path file = state.resolve("key");
        if (Files.exists(file)) {
            String pinned = Files.readString(file).strip();
            if (key != null && !key.strip().equals(pinned)) {
                throw new CouldNotCheck("--key differs from the key pinned in " + file + "; a log's key does not change"
                        + " silently (remove the state to start over)");
            }
            return pinned;
        }
        String chosen = key;
        if (chosen == null) {
            chosen = log.key();
            err.println("custos: warning: pinning the key the server itself gave (" + chosen + "); a server that rewrites"
                    + " its log can give another key, so compare it with one from a source you trust, or pass --key");
        }
        LogSources.key(chosen, key != null ? "--key" : "the server's key");
        write(file, chosen.strip() + "\n");
        return chosen.strip();
    }

    /** Written whole or not at all: a crash mid-write must not leave the monitor a half checkpoint. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
