package custos.server.witness;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.Checkpoint;
import custos.audit.CosignatureVerifier;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.audit.witness.AddCheckpoint;
import custos.audit.witness.WitnessState;
import custos.server.cli.CommandRun;
import custos.server.cli.CustosCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos witness} over real HTTP: the tlog-witness statuses, its key file, and state that survives kill -9. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WitnessHttpTest {
    static final String ORIGIN = "custos.test/log";
    final NoteSigner log = NoteSigner.generate(ORIGIN);
    final LogTree tree = new LogTree();
    final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    void grow(LogTree t, int n, String tag) {
        for (int i = 0; i < n; i++) t.appendData((tag + t.size()).getBytes(StandardCharsets.UTF_8));
    }

    String note(LogTree t, long size) {
        return log.sign(new Checkpoint(ORIGIN, size, t.root(size), List.of()).body());
    }

    HttpResponse<String> post(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> add(int port, long old, long size) throws Exception {
        return post(port, new AddCheckpoint(old, old == 0 ? List.of() : tree.consistencyProof(old, size), note(tree, size)).format());
    }

    String keygen(Path key, String name) {
        CommandRun r = CommandRun.of("witness", "keygen", "--out", key.toString(), "--name", name);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    @Test
    void keygenWritesAPrivateKeyFilePrintsItsVkeyAndNeverOverwritesIt() throws Exception {
        Path key = dir.resolve("w.key");
        String vkey = keygen(key, "witness.test/w1");
        assertThat(CosignatureVerifier.parse(vkey).name()).isEqualTo("witness.test/w1");
        assertThat(WitnessKeyFile.read(key).verifierKey()).isEqualTo(vkey);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        CommandRun again = CommandRun.of("witness", "keygen", "--out", key.toString(), "--name", "witness.test/w1");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("custos: the key file " + key + " exists already; a witness keeps its key\n");
        assertThat(WitnessKeyFile.read(key).verifierKey()).isEqualTo(vkey);
        CommandRun bare = CommandRun.of("witness", "--port", "0");
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.err()).contains("a witness needs --state DIR, --key FILE and at least one --log VKEY");
    }

    @Test
    void answersAddCheckpointWithTheSpecsStatusesOverHttp() throws Exception {
        Path key = dir.resolve("w.key");
        String vkey = keygen(key, "witness.test/w1");
        try (WitnessServer w = WitnessCommand.start(dir.resolve("state"), key, List.of(log.verifierKey()), "127.0.0.1", 0)) {
            int port = w.port();
            grow(tree, 40, "e");
            HttpResponse<String> ok = add(port, 0, 40);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(CosignatureVerifier.parse(vkey).verify(note(tree, 40) + ok.body())).isPresent();

            grow(tree, 9, "e");
            HttpResponse<String> stale = add(port, 0, 49);
            assertThat(stale.statusCode()).isEqualTo(409);
            assertThat(stale.headers().firstValue("Content-Type")).hasValue("text/x.tlog.size");
            assertThat(stale.body()).isEqualTo("40\n");

            LogTree fork = new LogTree();
            grow(fork, 40, "f");
            assertThat(post(port, new AddCheckpoint(40, List.of(), note(fork, 40)).format()).statusCode()).as("fork").isEqualTo(422);
            grow(fork, 9, "f");
            assertThat(post(port, new AddCheckpoint(40, fork.consistencyProof(40, 49), note(fork, 49)).format()).statusCode())
                    .as("a fork that grew").isEqualTo(422);
            assertThat(post(port, new AddCheckpoint(40, List.of(), note(tree, 30)).format()).statusCode()).as("rollback").isEqualTo(400);
            NoteSigner impostor = NoteSigner.generate(ORIGIN);
            assertThat(post(port, new AddCheckpoint(40, tree.consistencyProof(40, 49),
                    impostor.sign(new Checkpoint(ORIGIN, 49, tree.root(49), List.of()).body())).format()).statusCode()).as("wrong log key").isEqualTo(403);
            NoteSigner stranger = NoteSigner.generate("other.test/log");
            assertThat(post(port, new AddCheckpoint(0, List.of(), stranger.sign(new Checkpoint("other.test/log", 1, new byte[32], List.of()).body()))
                    .format()).statusCode()).as("unknown origin").isEqualTo(404);
            assertThat(post(port, "old zero\n\n" + note(tree, 49)).statusCode()).as("malformed").isEqualTo(400);
            assertThat(post(port, "old 40\n" + "x".repeat(WitnessServer.MAX_BODY)).statusCode()).as("too large").isEqualTo(400);
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/add-checkpoint")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);

            assertThat(add(port, 40, 49).statusCode()).as("the honest extension still is cosigned").isEqualTo(200);
            HttpResponse<String> monitor = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"
                    + WitnessState.originHash(ORIGIN) + "/checkpoint")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(monitor.statusCode()).isEqualTo(200);
            assertThat(monitor.body()).startsWith(new Checkpoint(ORIGIN, 49, tree.root(49), List.of()).body());
        }
    }

    /** The witness process killed with SIGKILL right after it answered keeps what it cosigned, and refuses a fork. */
    @Test
    void stateSurvivesKillNineOfTheWitnessProcess() throws Exception {
        Path key = dir.resolve("w.key");
        keygen(key, "witness.test/w1");
        Path state = dir.resolve("state");
        grow(tree, 70, "e");
        Process first = spawn(state, key);
        try {
            int port = portOf(first);
            assertThat(add(port, 0, 30).statusCode()).isEqualTo(200);
            assertThat(add(port, 30, 70).statusCode()).isEqualTo(200);
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, nothing flushed on the way out
        }
        Process second = spawn(state, key);
        try {
            int port = portOf(second);
            HttpResponse<String> stale = add(port, 0, 70);
            assertThat(stale.statusCode()).isEqualTo(409);
            assertThat(stale.body()).isEqualTo("70\n");
            LogTree fork = new LogTree();
            grow(fork, 70, "f");
            assertThat(post(port, new AddCheckpoint(70, List.of(), note(fork, 70)).format()).statusCode()).isEqualTo(422);
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    private Process spawn(Path state, Path key) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), CustosCommand.class.getName(),
                "witness", "--state", state.toString(), "--key", key.toString(), "--log", log.verifierKey(), "--port", "0")
                .redirectErrorStream(true).start();
    }

    private static int portOf(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its output
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the witness process ended without listening");
    }
}
