package custos.server.audit;

import custos.audit.AccessEvent;
import custos.audit.AccessLog;
import custos.audit.EventSealer;
import custos.audit.LogReceipt;
import custos.audit.ProofVerifier;
import custos.audit.SealedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The audit log's durable append with group commit. Callers hand their event to one writer thread and wait; the
 * writer takes everything waiting (up to {@link #MAX_BATCH}), writes it in one transaction with
 * {@code synchronous_commit} on, and completes each caller's future only after {@code COMMIT} returned. A crash
 * at any moment therefore loses only events whose callers were still waiting, and those callers never sent data.
 *
 * <p>Indexes are dense and global across gateway instances: each batch takes a transaction-scoped advisory lock
 * and continues from the highest stored index, so the entries form one sequence a Merkle tree can be built over.
 */
public final class GroupCommitAccessLog implements AccessLog, AutoCloseable {
    static final int MAX_BATCH = 2_000;
    private static final long SEQUENCING_LOCK = 0x637573746f73L; // "custos"

    private record Pending(AccessEvent event, CompletableFuture<LogReceipt> done) {}

    private final DataSource dataSource;
    private final EventSealer sealer = new EventSealer();
    private final Runnable afterCommit;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    /** {@code afterCommit} runs on the writer thread after each batch is durable (to integrate it into the tree). */
    public GroupCommitAccessLog(DataSource dataSource, Runnable afterCommit) {
        this.dataSource = dataSource;
        this.afterCommit = afterCommit;
        this.writer = Thread.ofPlatform().daemon().name("custos-audit-writer").start(this::run);
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
                List<LogReceipt> receipts = write(batch);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(receipts.get(i));
                }
                afterCommit.run();
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException | SQLException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private List<LogReceipt> write(List<Pending> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("set local synchronous_commit = on");
                    s.execute("select pg_advisory_xact_lock(" + SEQUENCING_LOCK + ")");
                }
                long next;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select coalesce(max(idx), -1) + 1 from access_events")) {
                    rs.next();
                    next = rs.getLong(1);
                }
                Map<Long, byte[]> keys = PersonKeys.forPeople(c, batch.stream().map(p -> p.event().subject()).distinct().toList(),
                        sealer);
                List<LogReceipt> receipts = new ArrayList<>(batch.size());
                try (PreparedStatement insert = c.prepareStatement("insert into access_events (idx, leaf_data, leaf_hash, salt,"
                        + " nonce, ciphertext, subject_person, partner_id, outcome, at) values (?,?,?,?,?,?,?,?,?,?)");
                     PreparedStatement co = c.prepareStatement(
                             "insert into access_event_co_subjects (person_id, idx) values (?, ?) on conflict do nothing")) {
                    for (Pending p : batch) {
                        long idx = next++;
                        AccessEvent e = p.event();
                        byte[] key = keys.get(e.subject());
                        // An erased person's key is gone: their new events are sealed under a key nobody keeps.
                        SealedEvent sealed = sealer.seal(e, key == null ? sealer.newPersonKey() : key);
                        insert.setLong(1, idx);
                        insert.setBytes(2, sealed.leafData());
                        insert.setBytes(3, ProofVerifier.leafHash(sealed.leafData()));
                        insert.setBytes(4, sealed.salt());
                        insert.setBytes(5, sealed.nonce());
                        insert.setBytes(6, key == null ? null : sealed.ciphertext());
                        insert.setLong(7, e.subject());
                        insert.setLong(8, e.partnerId());
                        insert.setString(9, e.outcome().name());
                        insert.setTimestamp(10, Timestamp.from(e.at()));
                        insert.addBatch();
                        for (long person : e.coSubjects()) {
                            if (person != e.subject()) {
                                co.setLong(1, person);
                                co.setLong(2, idx);
                                co.addBatch();
                            }
                        }
                        receipts.add(new LogReceipt(idx));
                    }
                    insert.executeBatch();
                    co.executeBatch();
                }
                c.commit();
                return receipts;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Per-person AES keys, created on first use in the appending transaction. */
    static final class PersonKeys {
        private PersonKeys() {}

        static Map<Long, byte[]> forPeople(Connection c, List<Long> people, EventSealer sealer) throws SQLException {
            try (PreparedStatement create = c.prepareStatement(
                    "insert into person_keys (person_id, aes_key) values (?, ?) on conflict (person_id) do nothing")) {
                for (long person : people) {
                    create.setLong(1, person);
                    create.setBytes(2, sealer.newPersonKey());
                    create.addBatch();
                }
                create.executeBatch();
            }
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
