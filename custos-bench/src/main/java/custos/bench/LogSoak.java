package custos.bench;

import custos.audit.AccessEvent;
import custos.audit.NoteSigner;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.audit.GroupCommitAccessLog;
import custos.server.audit.LogIntegrator;
import custos.server.audit.LiveHeap;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 13's soak: appends {@code entries} access events (10 million by default) through the audit writer with the
 * log integrator and checkpoint signer running as in the server, printing the live heap (after full collections)
 * every million entries; then starts a fresh integrator on the same store three times and times each start. Runs on a throw-away
 * database on the PostgreSQL server of {@code CUSTOS_DB_URL} (required), dropped afterwards. BENCHMARKS.md has the
 * command and the figures.
 */
public final class LogSoak {
    private LogSoak() {}

    public static void main(String[] args) throws Exception {
        long entries = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2_048;
        String url = System.getenv("CUSTOS_DB_URL");
        if (url == null || url.isBlank()) {
            System.err.println("custos: set CUSTOS_DB_URL to a PostgreSQL server the soak may create a throw-away database on");
            System.exit(2);
        }
        DbConfig config = DbConfig.external(url, System.getenv().getOrDefault("CUSTOS_DB_USER", "postgres"), System.getenv("CUSTOS_DB_PASSWORD"));
        try (Database db = Database.scratch(config, "custos_soak")) {
            NoteSigner signer = NoteSigner.generate("custos.bench/soak"); // a throw-away store
            long started = System.nanoTime();
            try (LogIntegrator integrator = new LogIntegrator(db.jdbi(), signer);
                 GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), integrator)) {
                AtomicLong next = new AtomicLong();
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long person = 1 + t % 1_000;
                    writers.add(Thread.ofVirtual().start(() -> {
                        while (next.getAndIncrement() < entries) {
                            log.append(new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "soak", "soak", "profile:read",
                                    person, person, List.of(), Outcome.ALLOW, List.of(), DecisionBasis.NONE, 1, List.of("id")));
                        }
                    }));
                }
                for (long mark = Math.min(1_000_000, entries); ; mark = Math.min(mark + 1_000_000, entries)) {
                    while (integrator.tree().size() < mark) {
                        Thread.sleep(50);
                    }
                    long size = integrator.tree().size();
                    System.out.printf("entries=%d seconds=%.0f live_heap_bytes=%d tile_cache_bytes=%d%n", size,
                            (System.nanoTime() - started) / 1e9, LiveHeap.bytes(), integrator.cachedTileBytes());
                    if (mark == entries) {
                        break;
                    }
                }
                for (Thread w : writers) {
                    w.join();
                }
                integrator.awaitCheckpoint(entries, Duration.ofSeconds(60));
            }
            // Three restarts: the first right after the appends (autovacuum may then be busy with the new rows).
            for (int restart = 1; restart <= 3; restart++) {
                long t0 = System.nanoTime();
                try (LogIntegrator again = new LogIntegrator(db.jdbi(), signer)) {
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("restart %d: tree of %d entries resumed and checked in %.2f s (entries %d.. re-read), live_heap_bytes=%d%n",
                            restart, again.tree().size(), seconds, again.rehashedFrom(), LiveHeap.bytes());
                }
            }
        }
    }
}
