package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.store.Database;
import custos.server.store.TestStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Invariant 5 under a crash: kill -9 a process appending under load; every index it acknowledged is in the store. */
class KillNineTest {

    @Test
    void noAcknowledgedEventIsLostWhenTheProcessIsKilledMidLoad() throws Exception {
        TestStores.Target target = TestStores.server();
        try {
            String url = ((custos.server.store.DbConfig.External) target.config()).url();
            try (Database db = Database.open(target.config())) {
                // migrate once here, so the child only appends
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    AppendUnderLoad.class.getName(), url).redirectErrorStream(false).start();
            Set<Long> acknowledged = new HashSet<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        acknowledged.add(Long.parseLong(line.substring(4)));
                        if (acknowledged.size() == 3_000) {
                            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing, mid-batch
                            break;
                        }
                    }
                }
            } catch (java.io.IOException killed) {
                // the pipe closes under the reader when the child dies; what was read before is what counts
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(3_000);

            try (Database db = Database.open(target.config())) {
                List<Long> stored = db.jdbi().withHandle(h -> h.createQuery("select idx from access_events order by idx")
                        .mapTo(Long.class).list());
                assertThat(new HashSet<>(stored)).containsAll(acknowledged);
                // And the log has no holes: what was committed is a dense prefix of indexes.
                assertThat(stored.get(stored.size() - 1)).isEqualTo(stored.size() - 1L);
            }
        } finally {
            target.cleanup().run();
        }
    }
}
