package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.LogReceipt;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The child process of {@link KillNineTest}: appends events from many threads as fast as it can and prints
 * {@code ack <index>} for each append that returned, i.e. that the log acknowledged as durable.
 */
public final class AppendUnderLoad {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(DbConfig.external(args[0], "postgres", null));
        GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), (first, hashes) -> { });
        for (int t = 0; t < 16; t++) {
            long person = t + 1;
            Thread.ofVirtual().start(() -> {
                while (true) {
                    LogReceipt r = log.append(new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "c", "p", "profile:read",
                            person, person, List.of(), Outcome.ALLOW, List.of(), DecisionBasis.NONE, 1, List.of("id")));
                    synchronized (System.out) {
                        System.out.println("ack " + r.index());
                        System.out.flush();
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
