package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.AccessLog;
import custos.audit.EventSealer;
import custos.audit.LogReceipt;
import custos.audit.ProofVerifier;
import custos.audit.SealedEvent;
import custos.server.audit.internal.BinaryCopy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The audit log's durable append with group commit. Callers hand their event to the writers and wait; a writer
 * takes everything waiting (up to {@link #MAX_BATCH}), seals it, writes it in one transaction with
 * {@code synchronous_commit} on, and completes each caller's future only after {@code COMMIT} returned. A crash
 * at any moment therefore loses only events whose callers were still waiting, and those callers never sent data.
 *
 * <p>Indexes are dense and global across gateway instances: each batch takes a transaction-scoped advisory lock
 * and continues from the highest stored index, so the entries form one sequence a Merkle tree can be built over.
 *
 * <p>Throughput comes from a short critical section: a batch fetches its people's keys and is sealed (AES-GCM, the
 * commitment) before the lock, and the rows go in with one binary {@code COPY}. Writers may run as a pipeline (one
 * sealing while another waits for its {@code COMMIT}), but on two cores one writer did better under request load:
 * fewer, larger batches (BENCHMARKS.md); {@code -Dcustos.audit.writers=N} sets the count.
 */
public final class GroupCommitAccessLog implements AccessLog, AutoCloseable {
    static final int MAX_BATCH = 4_000;
    /** Writers taking batches; {@code -Dcustos.audit.writers=N} to tune (see BENCHMARKS.md). */
    static final int WRITERS = Math.max(1, Integer.getInteger("custos.audit.writers", 1));
    private static final long SEQUENCING_LOCK = 0x637573746f73L; // "custos"
    private static final String COPY_EVENTS = "copy access_events (idx, leaf_data, leaf_hash, salt, nonce, ciphertext,"
            + " subject_person, partner_id, outcome, at) from stdin (format binary)";
    private static final String COPY_CO_SUBJECTS = "copy access_event_co_subjects (person_id, idx) from stdin (format binary)";

    private record Pending(AccessEvent event, CompletableFuture<LogReceipt> done) {}

    /** Told about each durable batch: its first index and its leaf hashes in index order (to integrate them). */
    @FunctionalInterface
    public interface Committed {
        void committed(long firstIndex, List<byte[]> leafHashes);
    }

    private record Written(long firstIndex, List<byte[]> leafHashes) {}

    /** An event ready to store: sealed, with its ciphertext withheld when its subject has been erased. */
    private record Sealed(AccessEvent event, SealedEvent sealed, boolean erased) {}

    private final DataSource dataSource;
    private final EventSealer sealer = new EventSealer();
    private final Committed afterCommit;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    /** {@code afterCommit} runs on a writer thread after each batch is durable (to integrate it into the tree). */
    public GroupCommitAccessLog(DataSource dataSource, Committed afterCommit) {
        this.dataSource = dataSource;
        this.afterCommit = afterCommit;
        for (int i = 0; i < WRITERS; i++) {
            writers.add(Thread.ofPlatform().daemon().name("custos-audit-writer-" + i).start(this::run));
        }
    }

    @Override
    public LogReceipt append(AccessEvent event) {
        if (!running) {
            throw new IllegalStateException("the audit log is closed");
        }
        CompletableFuture<LogReceipt> done = new CompletableFuture<>();
        queue.add(new Pending(event, done));
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit entry was being written", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the audit entry could not be made durable; nothing was released", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                Written written = write(seal(batch));
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(new LogReceipt(written.firstIndex() + i));
                }
                afterCommit.committed(written.firstIndex(), written.leafHashes());
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException | SQLException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Seals outside the sequencing transaction. A key erased after it was read here is no loss: the ciphertext is
     * still only readable with that key, which the store no longer holds.
     */
    private List<Sealed> seal(List<Pending> batch) throws SQLException {
        Map<Long, byte[]> keys;
        try (Connection c = dataSource.getConnection()) {
            keys = PersonKeys.forPeople(c, batch.stream().map(p -> p.event().subject()).distinct().toList(), sealer);
        }
        List<Sealed> sealed = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            AccessEvent e = p.event();
            byte[] key = keys.get(e.subject());
            // An erased person's key is gone: their new events are sealed under a key nobody keeps.
            sealed.add(new Sealed(e, sealer.seal(e, key == null ? sealer.newPersonKey() : key), key == null));
        }
        return sealed;
    }

    /** Sequences and stores the batch in one transaction. */
    private Written write(List<Sealed> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long first = -1;
                // One round trip, three statements. Under READ COMMITTED each statement takes its own snapshot when
                // it starts, so the max is read after the lock is held and sees the previous holder's commit.
                try (Statement s = c.createStatement()) {
                    boolean isResultSet = s.execute("set local synchronous_commit = on; select pg_advisory_xact_lock("
                            + SEQUENCING_LOCK + "); select coalesce(max(idx), -1) + 1 as next_idx from access_events");
                    while (isResultSet || s.getUpdateCount() != -1) {
                        if (isResultSet) {
                            try (ResultSet rs = s.getResultSet()) {
                                if (rs.getMetaData().getColumnLabel(1).equals("next_idx") && rs.next()) {
                                    first = rs.getLong(1);
                                }
                            }
                        }
                        isResultSet = s.getMoreResults();
                    }
                }
                if (first < 0) {
                    throw new SQLException("the sequencing query returned no next index");
                }
                BinaryCopy events = new BinaryCopy(batch.size() * 256);
                BinaryCopy coSubjects = new BinaryCopy(64);
                boolean anyCoSubject = false;
                List<byte[]> leafHashes = new ArrayList<>(batch.size());
                long idx = first;
                for (Sealed s : batch) {
                    AccessEvent e = s.event();
                    byte[] leafHash = ProofVerifier.leafHash(s.sealed().leafData());
                    leafHashes.add(leafHash);
                    events.row(10).int8(idx).bytea(s.sealed().leafData()).bytea(leafHash)
                            .bytea(s.sealed().salt()).bytea(s.sealed().nonce()).bytea(s.erased() ? null : s.sealed().ciphertext())
                            .int8(e.subject()).int8(e.partnerId()).text(e.outcome().name()).timestamptz(e.at());
                    for (long person : new LinkedHashSet<>(e.coSubjects())) {
                        if (person != e.subject()) {
                            coSubjects.row(2).int8(person).int8(idx);
                            anyCoSubject = true;
                        }
                    }
                    idx++;
                }
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                copy.copyIn(COPY_EVENTS, new ByteArrayInputStream(events.finish()));
                if (anyCoSubject) {
                    copy.copyIn(COPY_CO_SUBJECTS, new ByteArrayInputStream(coSubjects.finish()));
                }
                c.commit();
                return new Written(first, leafHashes);
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e instanceof SQLException sql ? sql : new SQLException("audit batch not written", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            for (Thread writer : writers) {
                writer.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Per-person AES keys, created on first use in the appending transaction. */
    static final class PersonKeys {
        private PersonKeys() {}

        static Map<Long, byte[]> forPeople(Connection c, List<Long> people, EventSealer sealer) throws SQLException {
            Map<Long, byte[]> keys = read(c, people);
            List<Long> missing = people.stream().filter(p -> !keys.containsKey(p)).toList();
            if (!missing.isEmpty()) {
                try (PreparedStatement create = c.prepareStatement(
                        "insert into person_keys (person_id, aes_key) values (?, ?) on conflict (person_id) do nothing")) {
                    for (long person : missing) {
                        create.setLong(1, person);
                        create.setBytes(2, sealer.newPersonKey());
                        create.addBatch();
                    }
                    create.executeBatch();
                }
                keys.putAll(read(c, missing)); // another writer or instance may have won the race
            }
            return keys;
        }

        /** Keys by person; an erased person maps to null, a person without a key is absent. */
        private static Map<Long, byte[]> read(Connection c, List<Long> people) throws SQLException {
            Map<Long, byte[]> keys = new HashMap<>();
            try (PreparedStatement read = c.prepareStatement("select person_id, aes_key from person_keys where person_id = any(?)")) {
                read.setArray(1, c.createArrayOf("bigint", people.toArray()));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        keys.put(rs.getLong(1), rs.getBytes(2)); // null once erased: the event is stored unreadable
                    }
                }
            }
            return keys;
        }
    }
}
