package custos.server.audit;

import custos.audit.EventSealer;
import custos.policy.PolicyChange;
import custos.server.keys.MasterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit writer's per-person AES keys: created on first use, stored wrapped with the master key (envelope
 * encryption, {@link MasterKey}), read from {@code person_keys} and then kept unwrapped in memory, because reading
 * and unwrapping them per batch was a round trip per batch on the durable path.
 *
 * <p>A cached key may only outlive its erasure briefly. Erasure ({@link AccessHistory#erase}) appends a
 * {@value #ERASED_KIND} entry to the policy change feed in the same transaction, the instance's follower hands it to
 * {@link #apply}, and the key is dropped here; a key is also re-read after {@link #MAX_AGE_NANOS} whatever the
 * feed said. A read that raced an erasure is not cached: every eviction bumps a generation, and keys read while it
 * moved are used for that one batch only. Events sealed in that window are no loss: their ciphertext is readable
 * only with the key the store no longer holds.
 */
final class PersonKeys {
    /** The {@code policy_changes} kind of an erasure; person_id and ref_id are the erased person. */
    static final String ERASED_KIND = "person_key_erased";
    static final long MAX_AGE_NANOS = 60_000_000_000L;
    private static final int MAX_ENTRIES = 500_000;

    /** A person's key as the store had it; {@code key} is null once they have been erased. */
    record Key(byte[] key, long readAtNanos) {}

    private final ConcurrentHashMap<Long, Key> cache = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    private final MasterKey master;

    PersonKeys(MasterKey master) {
        this.master = master;
    }

    /**
     * The keys of these people, created for those without one; an erased person maps to null. Reads the store only
     * for the people not cached (or cached too long ago).
     */
    Map<Long, byte[]> forPeople(Connection c, List<Long> people, EventSealer sealer) throws SQLException {
        long now = System.nanoTime();
        Map<Long, byte[]> keys = new HashMap<>(people.size() * 2);
        List<Long> missing = new ArrayList<>();
        for (long person : people) {
            Key k = cache.get(person);
            if (k != null && now - k.readAtNanos() < MAX_AGE_NANOS) {
                keys.put(person, k.key());
            } else {
                missing.add(person);
            }
        }
        if (missing.isEmpty()) {
            return keys;
        }
        long generation = evictions.get();
        Map<Long, byte[]> read = readOrCreate(c, missing, sealer);
        keys.putAll(read);
        if (cache.size() + read.size() > MAX_ENTRIES) {
            cache.clear();
        }
        read.forEach((person, key) -> cache.put(person, new Key(key, now)));
        if (evictions.get() != generation) {
            read.keySet().forEach(cache::remove); // an erasure landed while these were read: use them once, keep none
        }
        return keys;
    }

    /** Applies one entry of the policy change feed: an erasure drops that person's key, a re-seed drops all. */
    void apply(PolicyChange change) {
        if (ERASED_KIND.equals(change.kind()) && change.personId() != null) {
            evict(change.personId());
        } else if ("world_seeded".equals(change.kind())) {
            evictions.incrementAndGet();
            cache.clear();
        }
    }

    void evict(long person) {
        evictions.incrementAndGet();
        cache.remove(person);
    }

    private Map<Long, byte[]> readOrCreate(Connection c, List<Long> people, EventSealer sealer) throws SQLException {
        Map<Long, byte[]> keys = read(c, people);
        // Ascending and distinct: the batch becomes one multi-row insert (reWriteBatchedInserts), and two writers
        // inserting the same new people in different orders would each wait on the other's row, a deadlock that fails
        // both batches. In one order the second simply waits for the first.
        List<Long> missing = people.stream().filter(p -> !keys.containsKey(p)).distinct().sorted().toList();
        if (!missing.isEmpty()) {
            try (PreparedStatement create = c.prepareStatement(
                    "insert into person_keys (person_id, wrapped_key) values (?, ?) on conflict (person_id) do nothing")) {
                for (long person : missing) {
                    create.setLong(1, person);
                    create.setBytes(2, master.wrap(person, sealer.newPersonKey()));
                    create.addBatch();
                }
                create.executeBatch();
            }
            keys.putAll(read(c, missing)); // another writer or instance may have won the race
        }
        return keys;
    }

    /** Keys by person; an erased person maps to null, a person without a key is absent. */
    private Map<Long, byte[]> read(Connection c, List<Long> people) throws SQLException {
        Map<Long, byte[]> keys = new HashMap<>();
        try (PreparedStatement read = c.prepareStatement("select person_id, wrapped_key from person_keys where person_id = any(?)")) {
            read.setArray(1, c.createArrayOf("bigint", people.toArray()));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    long person = rs.getLong(1);
                    byte[] wrapped = rs.getBytes(2);
                    keys.put(person, wrapped == null ? null : master.unwrap(person, wrapped)); // null once erased: the event is stored unreadable
                }
            }
        }
        return keys;
    }
}
