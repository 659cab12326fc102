package custos.server.witness;

import custos.audit.Checkpoint;
import custos.audit.CosignatureSigner;
import custos.audit.CosignatureVerifier;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.audit.witness.AddCheckpoint;
import custos.audit.witness.Witness;
import custos.audit.witness.WitnessState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code custos bench witness}: the round trip of one checkpoint to a witness over local HTTP, as the gateway makes
 * it: build the add-checkpoint body with the consistency proof, the witness verifies the log's signature and the
 * proof, cosigns, fsyncs its state and answers, the gateway checks the cosignature.
 */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = "Submit --checkpoints growing checkpoints (--entries new entries each) to a witness on this machine,"
                + " its state in a temporary directory on --dir's file system; the last line is witness_round_trip_ms_median=<number>.")
public final class WitnessBench implements Callable<Integer> {
    @Option(names = "--checkpoints", defaultValue = "2000", description = "Checkpoints submitted (default: ${DEFAULT-VALUE}).")
    int checkpoints;

    @Option(names = "--entries", defaultValue = "1000", description = "New entries per checkpoint (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--dir", defaultValue = ".", description = "Where the witness's state directory is made (default: the current directory).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (checkpoints < 10 || entries < 1) throw new CommandLine.ParameterException(spec.commandLine(), "need --checkpoints >= 10 and --entries >= 1");
        NoteSigner log = NoteSigner.generate("bench.custos/log");
        CosignatureSigner key = CosignatureSigner.generate("bench.custos/witness");
        CosignatureVerifier verifier = CosignatureVerifier.parse(key.verifierKey());
        Path state = Files.createTempDirectory(dir.toAbsolutePath(), "custos-witness-bench");
        Witness witness = new Witness(key, List.of(custos.audit.NoteVerifier.parse(log.verifierKey())), new WitnessState(state),
                () -> System.currentTimeMillis() / 1000);
        HttpClient http = HttpClient.newHttpClient();
        LogTree tree = new LogTree();
        long[] nanos = new long[checkpoints];
        try (WitnessServer server = WitnessServer.start(witness, "127.0.0.1", 0)) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/add-checkpoint");
            long old = 0;
            for (int i = 0; i < checkpoints; i++) {
                for (int e = 0; e < entries; e++) tree.appendData(("entry " + tree.size()).getBytes(StandardCharsets.UTF_8));
                long size = tree.size();
                long started = System.nanoTime();
                String body = log.sign(new Checkpoint(log.name(), size, tree.root(size), List.of()).body());
                AddCheckpoint request = new AddCheckpoint(old, old == 0 ? List.of() : tree.consistencyProof(old, size), body);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofByteArray(request.bytes())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || verifier.verify(body + response.body()).isEmpty()) {
                    throw new IllegalStateException("the witness answered " + response.statusCode() + ": " + response.body().strip());
                }
                nanos[i] = System.nanoTime() - started;
                old = size;
            }
        } finally {
            try (var files = Files.list(state)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(state);
        }
        long[] measured = Arrays.copyOfRange(nanos, checkpoints / 10, checkpoints); // the first tenth warms up the JIT
        Arrays.sort(measured);
        double total = Arrays.stream(measured).sum() / 1e9;
        System.out.printf(Locale.ROOT, "custos: %d checkpoints of %d entries each to a local witness (first %d not counted), tree of %d entries%n",
                checkpoints, entries, checkpoints / 10, tree.size());
        System.out.printf(Locale.ROOT, "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f checkpoints/s on one connection%n",
                ms(measured, 0.5), ms(measured, 0.9), ms(measured, 0.99), measured[measured.length - 1] / 1e6, measured.length / total);
        System.out.printf(Locale.ROOT, "witness_round_trip_ms_median=%.2f%n", ms(measured, 0.5));
        return 0;
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
