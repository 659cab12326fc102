package custos.server.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tools/verify_receipt.py, the verifier written outside Java, with python3 and a timeout. */
public record PythonVerifier(int exit, String out, String err) {

    /** A file of the repository, found from the module directory the tests run in. */
    public static Path repoFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new AssertionError("no " + relative + " above " + Path.of("").toAbsolutePath());
    }

    public static PythonVerifier run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", repoFile("tools/verify_receipt.py").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("verify-out", ".txt");
        Path err = Files.createTempFile("verify-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("verify_receipt.py did not finish in 60 s");
            }
            return new PythonVerifier(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
