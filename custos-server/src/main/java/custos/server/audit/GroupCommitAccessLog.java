package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.AccessLog;
import custos.audit.EventSealer;
import custos.audit.LogReceipt;
import custos.audit.ProofVerifier;
import custos.audit.SealedEvent;
import custos.policy.PolicyChange;
import custos.server.http.Problem;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The audit log's durable append with group commit. Callers hand their event to the writers and wait; a writer
 * takes everything waiting (up to {@link #MAX_BATCH}), seals it, writes it in one transaction with
 * {@code synchronous_commit} on, and completes each caller's future only after {@code COMMIT} returned. A crash
 * at any moment therefore loses only events whose callers were still waiting, and those callers never sent data.
 *
 * <p>Indexes are dense and global across gateway instances: each batch takes its indexes from the log's head row,
 * whose update waits for the previous batch's commit, so the entries form one sequence a Merkle tree can be built
 * over.
 *
 * <p>The cost per batch is what bounds the gateway, so a batch is one round trip: the people's keys come from
 * {@link PersonKeys} (the store only for people not seen lately), the batch is sealed (AES-GCM, the commitment)
 * before anything is locked, and one call of the store's {@code custos_append_events} sequences (the head row),
 * inserts and commits. Sealing and writing are two stages on two threads: the sealer seals what arrives while the
 * writer waits for the store, and the writer takes everything sealed meanwhile as its next batch. One writer alone
 * would leave the machine idle half of each batch, sealing while the store waited and then waiting while the store
 * worked (BENCHMARKS.md). More writers split the stream into smaller transactions that queue on the head row anyway;
 * {@code -Dcustos.audit.writers=N} sets the count (default 1). The sealer runs at most {@link #MAX_BATCH} entries
 * ahead of the writers.
 *
 * <p>Once the log fails its integrity check ({@link Committed#failure()}, the integrator's) it takes no entry: callers
 * get a 503 problem and release nothing, because an entry on a forked or rolled-back log has no honest receipt.
 */
public final class GroupCommitAccessLog implements AccessLog, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupCommitAccessLog.class);
    static final int MAX_BATCH = 4_000;
    /** Writers taking batches; {@code -Dcustos.audit.writers=N} to tune (see BENCHMARKS.md). */
    static final int WRITERS = Math.max(1, Integer.getInteger("custos.audit.writers", 1));
    /** The longest a batch waits for company; {@code -Dcustos.audit.gatherMicros=N}, 0 never waits. */
    static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("custos.audit.gatherMicros", 1_000));
    /** A batch stops waiting once it holds this many entries. */
    static final int GATHER_TARGET = Integer.getInteger("custos.audit.gatherTarget", 64);
    /** ... or once fewer than this many other requests are still on their way to the log. */
    static final int GATHER_SIBLINGS = Integer.getInteger("custos.audit.gatherSiblings", 16);
    private static final String APPEND = "select custos_append_events(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** How long a caller may wait for its entry before it is told nothing was made durable. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Pending(AccessEvent event, CompletableFuture<LogReceipt> done, long enqueuedNanos) {}

    /** Told about each durable batch: its first index and its leaf hashes in index order (to integrate them). */
    @FunctionalInterface
    public interface Committed {
        void committed(long firstIndex, List<byte[]> leafHashes);

        /** Present once the log failed its integrity check: from then on nothing is appended. */
        default Optional<LogIntegrityException> failure() {
            return Optional.empty();
        }
    }

    private record Written(long firstIndex, List<byte[]> leafHashes) {}

    /** An event ready to store: sealed, with its ciphertext withheld when its subject has been erased. */
    private record Sealed(Pending pending, SealedEvent sealed, boolean erased) {
        AccessEvent event() {
            return pending.event();
        }
    }

    private final DataSource dataSource;
    /** A full disk fails every batch: a line a minute, with the store's own words, not one per batch. */
    private final custos.server.logs.RepeatedFailure batchFailures = new custos.server.logs.RepeatedFailure(LOG,
            "audit batches fail; their callers are answered 503 and nothing is released");
    private final EventSealer sealer = new EventSealer();
    private final PersonKeys keys;
    private final Committed afterCommit;
    private final IntSupplier inFlight;
    private final long timeoutNanos;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Sealed entries waiting for a writer, in the order they take their indexes; guarded by itself. */
    private final java.util.ArrayDeque<Sealed> ready = new java.util.ArrayDeque<>();
    private final Thread sealerThread;
    private final List<Thread> writers = new ArrayList<>();
    private final Thread watchdog;
    /** Each stage's entries, for the watchdog: a stage stuck on the store must not hold its callers forever. */
    private final List<List<Pending>> writing = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile boolean sealerDone;

    /** A log whose batches never wait for company (tools and tests that append without serving requests). */
    public GroupCommitAccessLog(DataSource dataSource, Committed afterCommit) {
        this(dataSource, afterCommit, () -> 0);
    }

    /**
     * {@code afterCommit} runs on a writer thread after each batch is durable (to integrate it into the tree);
     * {@code inFlight} counts the requests being served that will append (see {@link #gather}).
     */
    public GroupCommitAccessLog(DataSource dataSource, Committed afterCommit, IntSupplier inFlight) {
        this(dataSource, custos.server.keys.MasterKey.forThisProcess(), afterCommit, inFlight);
    }

    /** As above, person keys wrapped with {@code master} (the gateway's; the others use the process's own). */
    public GroupCommitAccessLog(DataSource dataSource, custos.server.keys.MasterKey master, Committed afterCommit, IntSupplier inFlight) {
        this(dataSource, master, afterCommit, inFlight, TIMEOUT);
    }

    GroupCommitAccessLog(DataSource dataSource, Committed afterCommit, IntSupplier inFlight, Duration timeout) {
        this(dataSource, custos.server.keys.MasterKey.forThisProcess(), afterCommit, inFlight, timeout);
    }

    GroupCommitAccessLog(DataSource dataSource, custos.server.keys.MasterKey master, Committed afterCommit, IntSupplier inFlight,
                         Duration timeout) {
        this.keys = new PersonKeys(master);
        this.timeoutNanos = timeout.toNanos();
        this.dataSource = dataSource;
        this.afterCommit = afterCommit;
        this.inFlight = inFlight;
        sealerThread = Thread.ofPlatform().daemon().name("custos-audit-sealer").start(this::sealStage);
        for (int i = 0; i < WRITERS; i++) {
            writers.add(Thread.ofPlatform().daemon().name("custos-audit-writer-" + i).start(this::writeStage));
        }
        watchdog = Thread.ofPlatform().daemon().name("custos-audit-watchdog").start(this::watch);
    }

    @Override
    public LogReceipt append(AccessEvent event) {
        if (!running) {
            throw new IllegalStateException("the audit log is closed");
        }
        if (!anyWriterAlive()) {
            throw new IllegalStateException("the audit writer has stopped; nothing can be made durable");
        }
        refuseIfFailed();
        CompletableFuture<LogReceipt> done = new CompletableFuture<>();
        queue.add(new Pending(event, done, System.nanoTime()));
        try {
            // Untimed: a timed wait on a virtual thread schedules and cancels a timer task on every request, which
            // cost more than the rest of the wait (BENCHMARKS.md); the watchdog bounds the wait instead.
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit entry was being written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProblemException refused) {
                throw refused;
            }
            if (e.getCause() instanceof TimeoutException || e.getCause() instanceof java.sql.SQLException) {
                // The store is slow, hung, gone or full: nothing was released, and the partner may simply retry.
                boolean full = custos.server.http.StoreFault.of(e.getCause()).orElse(null)
                        == custos.server.http.StoreFault.OUT_OF_RESOURCES;
                throw new ProblemException(Problem.of(ProblemType.UNAVAILABLE, "the audit log could not make the entry durable "
                        + (full ? "(the store is out of disk space or another resource)" : "in time")
                        + "; nothing was released; retry shortly"),
                        java.util.Map.of("Retry-After", "1"));
            }
            throw new IllegalStateException("the audit entry could not be made durable; nothing was released", e.getCause());
        }
    }

    /**
     * A log that failed its integrity check takes no entry: an entry appended to a forked or rolled-back log would
     * get a receipt no honest checkpoint can prove. The partner is told 503 (the operator has the reason in /health).
     */
    private void refuseIfFailed() {
        if (afterCommit.failure().isPresent()) {
            throw new ProblemException(Problem.of(ProblemType.UNAVAILABLE,
                    "the audit log failed its integrity check; this instance logs and releases nothing until it is restored"));
        }
    }

    private boolean anyWriterAlive() {
        return sealerThread.isAlive() && writersAlive();
    }

    /** Fails the callers whose entry has waited longer than the timeout, queued or in a stuck batch. */
    private void watch() {
        while (running) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            TimeoutException late = null;
            List<Pending> waiting = new ArrayList<>();
            for (List<Pending> batch : writing) {
                synchronized (batch) {
                    waiting.addAll(batch);
                }
            }
            Pending head = queue.peek();
            if (head != null && now - head.enqueuedNanos() > timeoutNanos) {
                waiting.addAll(queue);
            }
            synchronized (ready) {
                for (Sealed s : ready) waiting.add(s.pending());
            }
            for (Pending p : waiting) {
                if (now - p.enqueuedNanos() > timeoutNanos && !p.done().isDone()) {
                    late = late != null ? late : new TimeoutException("the audit store did not confirm the entry in time");
                    p.done().completeExceptionally(late); // a later commit of it is harmless: nothing was released
                }
            }
        }
    }

    /** The first stage: takes what callers hand in, seals it and queues it for the writers. */
    private void sealStage() {
        List<Pending> chunk = Collections.synchronizedList(new ArrayList<>());
        writing.add(chunk);
        Connection c = null;
        try {
            while (running || !queue.isEmpty()) {
                try {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    chunk.add(first);
                    queue.drainTo(chunk, MAX_BATCH - 1);
                    gather(chunk);
                    refuseIfFailed();
                    c = connection(c);
                    List<Sealed> sealed = seal(c, chunk);
                    synchronized (ready) {
                        while (ready.size() >= MAX_BATCH && writersAlive()) {
                            ready.wait(100);
                        }
                        ready.addAll(sealed);
                        ready.notifyAll();
                    }
                } catch (InterruptedException e) {
                    running = false;
                } catch (RuntimeException | SQLException e) {
                    fail(chunk, e);
                    c = release(c);
                } catch (Error e) {
                    chunk.forEach(p -> p.done().completeExceptionally(e));
                    throw e;
                } finally {
                    chunk.clear();
                }
            }
        } finally {
            release(c);
            synchronized (ready) {
                sealerDone = true;
                ready.notifyAll();
            }
        }
    }

    /** The second stage: writes everything sealed so far as one batch, then tells its callers and the integrator. */
    private void writeStage() {
        List<Pending> batch = Collections.synchronizedList(new ArrayList<>());
        writing.add(batch);
        List<Sealed> sealed = new ArrayList<>();
        Connection c = null;
        while (true) {
            try {
                synchronized (ready) {
                    while (ready.isEmpty()) {
                        if (sealerDone) {
                            release(c);
                            return;
                        }
                        ready.wait(100);
                    }
                    for (int i = 0; i < MAX_BATCH && !ready.isEmpty(); i++) {
                        Sealed s = ready.poll();
                        sealed.add(s);
                        batch.add(s.pending());
                    }
                    ready.notifyAll();
                }
                refuseIfFailed();
                c = connection(c);
                Written written = write(c, sealed);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(new LogReceipt(written.firstIndex() + i));
                }
                afterCommit.committed(written.firstIndex(), written.leafHashes());
                batchFailures.succeeded();
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException | SQLException e) {
                fail(batch, e);
                c = release(c); // a broken connection must not serve the next batch
            } catch (Error e) {
                batch.forEach(p -> p.done().completeExceptionally(e)); // its callers are told at once, not by the watchdog
                release(c);
                throw e;
            } finally {
                batch.clear();
                sealed.clear();
            }
        }
    }

    /** Its callers answer 503 and release nothing; the operator needs the store's own words. */
    private void fail(List<Pending> entries, Exception e) {
        batchFailures.failed(new IllegalStateException("a batch of " + entries.size() + " entries: " + e.getMessage()
                + (e instanceof SQLException sql ? " (SQL state " + sql.getSQLState() + ")" : ""), e));
        entries.forEach(p -> p.done().completeExceptionally(e));
    }

    private boolean writersAlive() {
        for (Thread writer : writers) {
            if (writer.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits briefly for more entries while many requests are on their way, like PostgreSQL's own commit_delay with
     * commit_siblings: a commit costs the database a WAL flush and this process a round trip whatever the batch's
     * size, so under load fewer, fuller batches leave more of the machine to the requests. With few requests in
     * flight it never waits: there, every microsecond here would be a microsecond more on each request.
     */
    private void gather(List<Pending> batch) {
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (batch.size() < GATHER_TARGET && inFlight.getAsInt() - batch.size() >= GATHER_SIBLINGS) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, 100_000));
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    private static Connection release(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // returned to the pool, which tests and replaces it
            }
        }
        return null;
    }

    /**
     * Seals before sequencing. A key erased after it was read here is no loss: the ciphertext is still only readable
     * with that key, which the store no longer holds.
     */
    private List<Sealed> seal(Connection c, List<Pending> batch) throws SQLException {
        List<Long> subjects = batch.stream().map(p -> p.event().subject()).distinct().toList();
        Map<Long, byte[]> subjectKeys = keys.forPeople(c, subjects, sealer);
        List<Sealed> sealed = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            AccessEvent e = p.event();
            byte[] key = subjectKeys.get(e.subject());
            // An erased person's key is gone: their new events are sealed under a key nobody keeps.
            sealed.add(new Sealed(p, sealer.seal(e, key == null ? sealer.newPersonKey() : key), key == null));
        }
        return sealed;
    }

    /** Sequences, stores and commits the batch in one statement: one round trip (V33's custos_append_events, V45's categories). */
    private Written write(Connection c, List<Sealed> batch) throws SQLException {
        int n = batch.size();
        byte[][] leafData = new byte[n][];
        byte[][] leafHashes = new byte[n][];
        byte[][] salts = new byte[n][];
        byte[][] nonces = new byte[n][];
        byte[][] ciphertexts = new byte[n][];
        long[] subjects = new long[n];
        long[] partners = new long[n];
        String[] outcomes = new String[n];
        long[] atMicros = new long[n];
        Short[] categories = new Short[n];
        List<Long> coPeople = new ArrayList<>();
        List<Integer> coOffsets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Sealed s = batch.get(i);
            AccessEvent e = s.event();
            leafData[i] = s.sealed().leafData();
            leafHashes[i] = ProofVerifier.leafHash(leafData[i]);
            salts[i] = s.sealed().salt();
            nonces[i] = s.sealed().nonce();
            ciphertexts[i] = s.erased() ? null : s.sealed().ciphertext();
            subjects[i] = e.subject();
            partners[i] = e.partnerId();
            outcomes[i] = e.outcome().name();
            atMicros[i] = Math.addExact(Math.multiplyExact(e.at().getEpochSecond(), 1_000_000L), e.at().getNano() / 1_000);
            categories[i] = EntryCategory.ofScope(e.scope());
            for (long person : new LinkedHashSet<>(e.coSubjects())) { // a friend list's page: a set, not indexOf per id
                if (person != e.subject()) {
                    coPeople.add(person);
                    coOffsets.add(i);
                }
            }
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        try (PreparedStatement append = c.prepareStatement(APPEND)) {
            append.setArray(1, pg.createArrayOf("bytea", leafData));
            append.setArray(2, pg.createArrayOf("bytea", leafHashes));
            append.setArray(3, pg.createArrayOf("bytea", salts));
            append.setArray(4, pg.createArrayOf("bytea", nonces));
            append.setArray(5, pg.createArrayOf("bytea", ciphertexts));
            append.setArray(6, pg.createArrayOf("int8", subjects));
            append.setArray(7, pg.createArrayOf("int8", partners));
            append.setArray(8, pg.createArrayOf("text", outcomes));
            append.setArray(9, pg.createArrayOf("int8", atMicros));
            append.setArray(10, pg.createArrayOf("int8", coPeople.stream().mapToLong(Long::longValue).toArray()));
            append.setArray(11, pg.createArrayOf("int4", coOffsets.stream().mapToInt(Integer::intValue).toArray()));
            append.setArray(12, c.createArrayOf("int2", categories));
            try (ResultSet rs = append.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the append returned no first index");
                }
                return new Written(rs.getLong(1), Arrays.asList(leafHashes));
            }
        }
    }

    /** The writer's connection: held across batches, in autocommit (each append commits itself). */
    private Connection connection(Connection held) throws SQLException {
        if (held != null && !held.isClosed()) {
            return held;
        }
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        return c;
    }

    /** Applies one entry of the policy change feed (an erased person's key is dropped from the writer's cache). */
    public void apply(PolicyChange change) {
        keys.apply(change);
    }

    @Override
    public void close() {
        running = false;
        try {
            sealerThread.join(5_000);
            for (Thread writer : writers) {
                writer.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.interrupt();
        IllegalStateException closed = new IllegalStateException("the audit log closed before the entry was written");
        for (Pending p; (p = queue.poll()) != null; ) {
            p.done().completeExceptionally(closed);
        }
        synchronized (ready) {
            for (Sealed s; (s = ready.poll()) != null; ) {
                s.pending().done().completeExceptionally(closed);
            }
        }
    }
}
