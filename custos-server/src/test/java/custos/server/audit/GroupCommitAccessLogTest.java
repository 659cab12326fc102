package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.audit.AccessEvent;
import custos.audit.LogReceipt;
import custos.audit.ProofVerifier;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateway instances, each with its sealer and writer, one gathering fuller batches and one not, appending at
 * once to one database: every append is
 * acknowledged with its own index, the indexes are dense, and what each writer reported as committed is exactly
 * what the store holds at those indexes, so the integrator may trust it without reading it back.
 */
class GroupCommitAccessLogTest {

    @Test
    void concurrentWritersOfTwoInstancesSequenceOneDenseLog() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            Map<Long, byte[]> reported = new ConcurrentHashMap<>();
            GroupCommitAccessLog.Committed record = (first, hashes) -> {
                for (int i = 0; i < hashes.size(); i++) {
                    assertThat(reported.put(first + i, hashes.get(i))).as("index %d reported twice", first + i).isNull();
                }
            };
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            int threads = 64;
            int perThread = 40;
            // Instance a waits for fuller batches (as under request load), b never does.
            try (GroupCommitAccessLog a = new GroupCommitAccessLog(db.dataSource(), record, () -> threads);
                 GroupCommitAccessLog b = new GroupCommitAccessLog(db.dataSource(), record)) {
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    GroupCommitAccessLog log = t % 2 == 0 ? a : b;
                    long person = 1 + t % 7; // shared subjects: their keys are created concurrently too
                    workers.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < perThread; i++) {
                            LogReceipt r = log.append(new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "c", "p", "profile:read",
                                    person, person, List.of(person + 100), Outcome.ALLOW, List.of(), DecisionBasis.NONE, 1, List.of("id")));
                            assertThat(acknowledged.add(r.index())).as("index %d acknowledged twice", r.index()).isTrue();
                        }
                    }));
                }
                for (Thread w : workers) {
                    w.join();
                }
            }
            long total = (long) threads * perThread;
            assertThat(acknowledged).hasSize((int) total);
            assertThat(acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(total - 1);
            Map<Long, byte[]> stored = new HashMap<>();
            db.jdbi().useHandle(h -> h.createQuery("select idx, leaf_data, leaf_hash from access_events")
                    .map((rs, ctx) -> {
                        assertThat(rs.getBytes(3)).isEqualTo(ProofVerifier.leafHash(rs.getBytes(2)));
                        return Map.entry(rs.getLong(1), rs.getBytes(3));
                    }).forEach(e -> stored.put(e.getKey(), e.getValue())));
            assertThat(stored).hasSize((int) total);
            assertThat(reported.keySet()).isEqualTo(stored.keySet());
            stored.forEach((idx, hash) -> assertThat(reported.get(idx)).as("leaf %d", idx).isEqualTo(hash));
            long coSubjects = db.jdbi().withHandle(h -> h.createQuery("select count(*) from access_event_co_subjects").mapTo(Long.class).one());
            assertThat(coSubjects).isEqualTo(total);
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    @Timeout(30) // without the watchdog the first append would wait for ever
    void aCallerWhoseEntryTheStoreDoesNotConfirmIsToldSoAndTheLogCarriesOnOnceTheStoreAnswers() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config());
             Connection blocker = db.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("select next_idx from audit_log_head for update"); // the next batch cannot sequence
            }
            try (GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), (first, hashes) -> { }, () -> 0,
                    Duration.ofSeconds(1))) {
                // A 503 to retry, not a 500: nothing was released.
                assertThatThrownBy(() -> log.append(event(1)))
                        .isInstanceOfSatisfying(custos.server.http.ProblemException.class, p -> {
                            assertThat(p.problem().type()).isEqualTo(custos.server.http.ProblemType.UNAVAILABLE);
                            assertThat(p.headers()).containsEntry("Retry-After", "1");
                        })
                        .hasMessageContaining("nothing was released");
                blocker.rollback();
                LogReceipt next = log.append(event(2));
                long stored = db.jdbi().withHandle(h -> h.createQuery("select count(*) from access_events where idx <= :i")
                        .bind("i", next.index()).mapTo(Long.class).one());
                // The unconfirmed entry may still have gone in once the lock was gone; it released nothing.
                assertThat(stored).isEqualTo(next.index() + 1);
            }
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    @Timeout(30)
    void entriesSealedWhileTheWriterWaitsOnTheStoreAreToldInTimeAndNoneIsLostOnceItAnswers() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config());
             Connection blocker = db.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("select next_idx from audit_log_head for update");
            }
            try (GroupCommitAccessLog log = new GroupCommitAccessLog(db.dataSource(), (first, hashes) -> { }, () -> 0,
                    Duration.ofSeconds(1))) {
                // The first append's batch holds the writer on the locked head row; the later ones are sealed and wait
                // between the stages, where the watchdog must find them as well.
                Thread first = Thread.ofVirtual().start(() -> assertThatThrownBy(() -> log.append(event(1)))
                        .isInstanceOf(custos.server.http.ProblemException.class));
                Thread.sleep(200);
                List<Thread> later = new ArrayList<>();
                List<Throwable> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int i = 0; i < 20; i++) {
                    long person = 2 + i;
                    later.add(Thread.ofVirtual().start(() -> {
                        try {
                            log.append(event(person));
                            outcomes.add(null);
                        } catch (RuntimeException e) {
                            outcomes.add(e);
                        }
                    }));
                }
                long started = System.nanoTime();
                first.join();
                for (Thread t : later) {
                    t.join();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                assertThat(outcomes).hasSize(20).allSatisfy(e -> assertThat(e)
                        .isInstanceOfSatisfying(custos.server.http.ProblemException.class,
                                p -> assertThat(p.problem().type()).isEqualTo(custos.server.http.ProblemType.UNAVAILABLE)));
                blocker.rollback();
                LogReceipt next = log.append(event(99));
                long stored = db.jdbi().withHandle(h -> h.createQuery("select count(*) from access_events where idx <= :i")
                        .bind("i", next.index()).mapTo(Long.class).one());
                assertThat(stored).as("the log stays dense").isEqualTo(next.index() + 1);
            }
        } finally {
            target.cleanup().run();
        }
    }

    private static AccessEvent event(long person) {
        return new AccessEvent(UUID.randomUUID(), Instant.now(), 1, "c", "p", "profile:read", person, person, List.of(),
                Outcome.ALLOW, List.of(), DecisionBasis.NONE, 1, List.of("id"));
    }
}
