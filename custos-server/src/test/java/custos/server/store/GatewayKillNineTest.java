package custos.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import custos.server.cli.CustosCommand;
import custos.world.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's JVM ({@code custos serve}, a child process) killed with SIGKILL under partner load: every access it
 * acknowledged with a 200 has its entry in the store, and a gateway started again on the same store passes its start
 * checks and serves the same token, with no one repairing anything.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GatewayKillNineTest {
    private static final Pattern SERVING = Pattern.compile("custos: serving on (http://127\\.0\\.0\\.1:\\d+)/");

    @Test
    void aGatewayKilledUnderLoadLosesNoAcknowledgedAccessAndServesAgainWhenStartedOnItsStore(@TempDir Path dir) throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            Seeder.seed(db, new WorldSpec(30, 3), false);
            PartnerLoad.prepare(db);
            String token;
            try (CustosApp app = CustosApp.start(Database.open(target.config()), CustosApp.Options.on("127.0.0.1", 0)
                    .withKeys(keyFiles(dir)))) {
                token = PartnerLoad.token(app, "http://127.0.0.1:" + app.port());
            }

            Process first = serve(dir, target, "first.log");
            List<PartnerLoad.Answer> answers;
            long killed;
            try (PartnerLoad load = PartnerLoad.start(awaitServing(first, dir.resolve("first.log")), token, 8)) {
                load.await("100 acknowledged accesses", a -> a.stream().filter(PartnerLoad.Answer::acknowledged).count() >= 100);
                killed = System.nanoTime();
                first.destroyForcibly(); // SIGKILL: no shutdown hook, the audit writer stopped mid-batch
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                load.await("a request failing on the dead gateway", a -> a.stream().anyMatch(x -> x.status() == 0 && x.endNanos() - killed > 0));
                load.stop();
                answers = load.answers();
            } finally {
                first.destroyForcibly();
            }
            // Before the kill, only 200s and the per-token rate limit's 429s.
            assertThat(answers.stream().filter(a -> a.endNanos() - killed < 0))
                    .allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(200, 429));
            assertThat(PartnerLoad.missingEntries(db.jdbi(), answers)).as("acknowledged accesses without their entry").isEmpty();

            Process second = serve(dir, target, "second.log");
            try {
                String base = awaitServing(second, dir.resolve("second.log"));
                GatewayCalls.awaitStatus(base + "/health/ready", 200);
                try (PartnerLoad again = PartnerLoad.start(base, token, 0)) {
                    PartnerLoad.Answer served = again.once();
                    assertThat(served.status()).as(served.toString()).isEqualTo(200);
                    long highestBefore = answers.stream().filter(PartnerLoad.Answer::acknowledged).mapToLong(PartnerLoad.Answer::index)
                            .max().orElseThrow();
                    assertThat(served.index()).as("the log continues after what was acknowledged").isGreaterThan(highestBefore);
                }
                second.destroy();
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                second.destroyForcibly();
            }
        } finally {
            target.cleanup().run();
        }
    }

    private static Process serve(Path dir, TestStores.Target target, String log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CustosCommand.class.getName(),
                "serve", "--host", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        pb.environment().put("CUSTOS_DB_URL", ((DbConfig.External) target.config()).url());
        pb.environment().put("CUSTOS_DB_USER", "postgres");
        pb.environment().remove("CUSTOS_DB_PASSWORD");
        // Keys live outside the store (issue 15): the files the first in-process start made.
        pb.environment().put("CUSTOS_LOG_KEY", keyFiles(dir).logKey().toString());
        pb.environment().put("CUSTOS_KEYS_MASTER", keyFiles(dir).masterKey().toString());
        return pb.start();
    }

    /** The key files of this test's store, made by its first start. */
    private static custos.server.keys.KeySource.KeyFiles keyFiles(Path dir) {
        return new custos.server.keys.KeySource.KeyFiles(dir.resolve("keys/log.pem"), dir.resolve("keys/master.key"));
    }

    /** The gateway's base URL, once it says it serves (polling its output for up to 120 s). */
    private static String awaitServing(Process gateway, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() - deadline < 0) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = SERVING.matcher(out);
            if (m.find()) {
                return m.group(1);
            }
            if (!gateway.isAlive()) {
                throw new AssertionError("the gateway exited with " + gateway.exitValue() + ": " + out);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway never said it serves: " + Files.readString(log));
    }
}
