package custos.server.audit;

import custos.audit.EventSealer;
import custos.audit.LogEntryKind;
import custos.audit.ProofVerifier;
import custos.audit.SealedEvent;
import custos.audit.inputs.DecisionInput;
import custos.audit.inputs.InputCodec;
import custos.consent.Consent;
import custos.consent.ConsentStore;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStore;
import custos.people.PeopleStore;
import custos.people.PrivacySettings;
import custos.people.SettingsStore;
import custos.policy.PolicyView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Commits decision inputs to the verifiable log (issue 15): first a snapshot of every person's and partner's inputs
 * in force (once per seeded world, or at the first start on a store without one), then one entry per policy change a
 * decision depends on (consent given, narrowed, withdrawn; a settings version; a friendship made or ended, as each
 * person's whole friend list; partner, agreement and purpose changes), each a whole record (docs/bundle-format.md). A person's entry is sealed under their key as their access
 * events are; a partner's is public and its opening is kept beside it.
 *
 * <p>One instance records at a time: the recorder holds a PostgreSQL advisory lock on a connection of its own, and
 * {@code decision_inputs_recorded} makes each change's entry exactly-once even across a crash. Entries take their
 * indexes from the log's head row as the audit writers do, so the tree stays dense. Access entries cite the policy
 * sequence their decision was made at; an input's own index may come after the entries citing it (the recorder
 * follows the feed), which a bundle check does not mind: it orders inputs by sequence, not by index.
 */
public final class DecisionInputRecorder implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DecisionInputRecorder.class);
    /** The advisory lock id of the recorder ("custos" and the issue number). */
    static final long LOCK = 0x637573746f73_0fL;
    static final int BATCH = 2_000;
    /** How far behind the newest recorded change the recorder looks again for changes that committed late. */
    static final long LATE_WINDOW = 5_000;
    private static final List<String> INPUT_KINDS = List.of("consent", "settings", "friends", "partner", "agreement", "purpose");

    private final DataSource dataSource;
    private final PartnerStore partners;
    private final ConsentStore consents;
    private final SettingsStore settings;
    private final PeopleStore people;
    private final Supplier<PolicyView> snapshotView;
    private final GroupCommitAccessLog.Committed afterCommit;
    private final EventSealer sealer = new EventSealer();
    private final PersonKeys keys;
    private final custos.server.logs.RepeatedFailure failures = new custos.server.logs.RepeatedFailure(LOG,
            "decision inputs could not be committed to the log; access entries cite inputs an auditor will miss until they are");
    private Connection held;
    private Thread thread;
    private volatile boolean running = true;

    /**
     * {@code snapshotView}: the view a snapshot is read from (the gateway's live view, whose watermark is the snapshot's
     * sequence; a tool loads one).
     */
    public DecisionInputRecorder(DataSource dataSource, PartnerStore partners, ConsentStore consents, SettingsStore settings,
                                 PeopleStore people, Supplier<PolicyView> snapshotView, GroupCommitAccessLog.Committed afterCommit) {
        this(dataSource, custos.server.keys.MasterKey.forThisProcess(), partners, consents, settings, people, snapshotView,
                afterCommit);
    }

    /** As above, person keys wrapped with {@code master} (the gateway's; the other constructor uses the process's own). */
    public DecisionInputRecorder(DataSource dataSource, custos.server.keys.MasterKey master, PartnerStore partners, ConsentStore consents,
                                 SettingsStore settings, PeopleStore people, Supplier<PolicyView> snapshotView,
                                 GroupCommitAccessLog.Committed afterCommit) {
        this.keys = new PersonKeys(master);
        this.dataSource = dataSource;
        this.partners = partners;
        this.consents = consents;
        this.settings = settings;
        this.people = people;
        this.snapshotView = snapshotView;
        this.afterCommit = afterCommit;
    }

    /** Catches up once now (so a fresh store's snapshot precedes the first decision), then follows every {@code every}. */
    public DecisionInputRecorder start(Duration every) {
        catchUp();
        thread = Thread.ofPlatform().daemon().name("custos-input-recorder").start(() -> {
            while (running) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                catchUp();
            }
        });
        return this;
    }

    /**
     * Records what is due: a snapshot if the world has none, then every input change not yet recorded. Returns the
     * entries appended; 0 also when another instance holds the recorder's lock.
     */
    public synchronized long catchUp() {
        try {
            Connection c = lockedConnection();
            if (c == null) {
                return 0;
            }
            long n = snapshotIfDue(c);
            while (true) {
                int batch = recordChanges(c);
                n += batch;
                if (batch < BATCH) {
                    break;
                }
            }
            failures.succeeded();
            return n;
        } catch (SQLException | RuntimeException e) {
            failures.failed(e);
            held = close(held); // the lock goes with the connection; the next round takes both afresh
            return 0;
        }
    }

    // --- the snapshot ------------------------------------------------------------------------------------------

    private long snapshotIfDue(Connection c) throws SQLException {
        long seeded = scalar(c, "select coalesce(max(seq), -1) from policy_changes where kind = 'world_seeded'");
        Long open = nullableScalar(c, "select seq from decision_input_snapshots where not done order by seq desc limit 1");
        long seq;
        long through;
        if (open != null) {
            seq = open;
            through = scalar(c, "select through_person from decision_input_snapshots where seq = " + open);
        } else {
            Long last = nullableScalar(c, "select max(seq) from decision_input_snapshots where done");
            if (last != null && last >= seeded) {
                return 0;
            }
            PolicyView view = snapshotView.get();
            seq = view.watermark();
            through = -1;
            try (PreparedStatement s = c.prepareStatement("insert into decision_input_snapshots (seq) values (?) on conflict do nothing")) {
                s.setLong(1, seq);
                s.executeUpdate();
            }
            c.commit();
        }
        PolicyView view = snapshotView.get();
        long n = 0;
        long started = System.nanoTime();
        Instant at = Instant.now();
        // Partners first, once: they are few, and the first batch carries them.
        if (through < 0) {
            List<Pending> pending = new ArrayList<>();
            for (PartnerEntry p : partners.loadAll()) {
                pending.add(Pending.partner(new DecisionInput.PartnerInputs(seq, at, "snapshot", -1, p)));
            }
            n += append(c, pending, List.of(), seq, through);
        }
        while (true) {
            List<Long> people = new ArrayList<>(BATCH);
            try (PreparedStatement s = c.prepareStatement("select id from people where id > ? order by id limit " + BATCH)) {
                s.setLong(1, through);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) people.add(rs.getLong(1));
                }
            }
            if (people.isEmpty()) {
                break;
            }
            List<Pending> pending = new ArrayList<>(people.size());
            for (long person : people) {
                pending.add(Pending.person(new DecisionInput.PersonInputs(seq, at, "snapshot", -1, person,
                        Arrays.asList(view.consentsOf(person)), Arrays.asList(view.settingsOf(person)), view.friendsOf(person))));
            }
            through = people.get(people.size() - 1);
            n += append(c, pending, List.of(), seq, through);
        }
        try (PreparedStatement s = c.prepareStatement("update decision_input_snapshots set done = true where seq = ?")) {
            s.setLong(1, seq);
            s.executeUpdate();
        }
        c.commit();
        LOG.info(String.format("decision inputs: snapshot at policy sequence %d committed as %d log entries in %.1f s",
                seq, n, (System.nanoTime() - started) / 1e9));
        return n;
    }

    // --- the changes -------------------------------------------------------------------------------------------

    private record Change(long seq, String kind, long refId, Long personId, Long partnerId, Instant at) {}

    private int recordChanges(Connection c) throws SQLException {
        Long snapshot = nullableScalar(c, "select max(seq) from decision_input_snapshots where done");
        if (snapshot == null) {
            return 0;
        }
        long newest = scalar(c, "select coalesce(max(seq), -1) from decision_inputs_recorded");
        long from = Math.max(snapshot, newest - LATE_WINDOW);
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select seq, kind, ref_id, person_id, partner_id, changed_at from policy_changes pc
                 where seq > ? and kind = any(?)
                   and not exists (select 1 from decision_inputs_recorded r where r.seq = pc.seq)
                 order by seq limit ?""")) {
            s.setLong(1, from);
            s.setInt(3, BATCH);
            s.setArray(2, c.createArrayOf("text", INPUT_KINDS.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getString(2), rs.getLong(3), (Long) rs.getObject(4),
                            (Long) rs.getObject(5), rs.getTimestamp(6).toInstant()));
                }
            }
        }
        c.commit();
        if (changes.isEmpty()) {
            return 0;
        }
        Map<Long, PartnerEntry> partnerEntries = null;
        List<Pending> pending = new ArrayList<>();
        for (Change ch : changes) {
            switch (ch.kind()) {
                case "consent" -> {
                    Optional<Consent> consent = consents.find(ch.refId());
                    // A deleted record is gone from the view as well (the follower skips it): nothing to commit.
                    consent.ifPresent(k -> pending.add(Pending.person(new DecisionInput.PersonInputs(ch.seq(), ch.at(),
                            consentChange(k), -1, k.personId(), List.of(k), List.of(), null))));
                }
                case "settings" -> {
                    if (ch.personId() != null) {
                        List<PrivacySettings> history = settings.history(ch.personId());
                        List<PrivacySettings> named = history.stream().filter(v -> v.version() == ch.refId()).toList();
                        pending.add(Pending.person(new DecisionInput.PersonInputs(ch.seq(), ch.at(), "settings", -1,
                                ch.personId(), List.of(), named.isEmpty() ? history : named, null)));
                    }
                }
                case "friends" -> {
                    if (ch.personId() != null) { // the whole friend list as it stands, as the gateways reload it
                        pending.add(Pending.person(new DecisionInput.PersonInputs(ch.seq(), ch.at(), "friends", -1,
                                ch.personId(), List.of(), List.of(),
                                people.friendIds(ch.personId()).stream().mapToLong(Long::longValue).toArray())));
                    }
                }
                default -> { // partner, agreement, purpose: the partner's whole entry as it stands
                    if (ch.partnerId() != null) {
                        if (partnerEntries == null) {
                            partnerEntries = new HashMap<>();
                            for (PartnerEntry p : partners.loadAll()) partnerEntries.put(p.partner().id(), p);
                        }
                        PartnerEntry entry = partnerEntries.get(ch.partnerId());
                        if (entry != null) {
                            pending.add(Pending.partner(new DecisionInput.PartnerInputs(ch.seq(), ch.at(), ch.kind(), -1, entry)));
                        }
                    }
                }
            }
        }
        append(c, pending, changes.stream().map(Change::seq).toList(), -1, -1);
        return changes.size();
    }

    /** What a consent entry records: given, withdrawn, expired or narrowed, by its record's state. */
    private static String consentChange(Consent c) {
        if (c.withdrawnAt() != null) {
            return "consent_withdrawn";
        }
        if (c.validUntil() != null && !c.validUntil().isAfter(Instant.now())) {
            return "consent_expired";
        }
        return c.version() <= 1 ? "consent_given" : "consent_changed";
    }

    // --- the append --------------------------------------------------------------------------------------------

    /** An input waiting for its place in the log: its previous link is filled in when the batch is sequenced. */
    private record Pending(DecisionInput input, Long person, Long partner) {
        static Pending person(DecisionInput.PersonInputs p) {
            return new Pending(p, p.personId(), null);
        }

        static Pending partner(DecisionInput.PartnerInputs p) {
            return new Pending(p, null, p.entry().partner().id());
        }

        Pending linked(long previous) {
            return new Pending(switch (input) {
                case DecisionInput.PersonInputs p -> new DecisionInput.PersonInputs(p.seq(), p.at(), p.change(), previous,
                        p.personId(), p.consents(), p.settings(), p.friends());
                case DecisionInput.PartnerInputs p -> new DecisionInput.PartnerInputs(p.seq(), p.at(), p.change(), previous, p.entry());
            }, person, partner);
        }
    }

    /**
     * Sequences, seals and stores a batch in one transaction with the changes it records (and a snapshot's progress),
     * then tells the integrator. The head row is taken first so that the previous links read under it are final.
     */
    private long append(Connection c, List<Pending> batch, List<Long> recordedSeqs, long snapshotSeq, long through)
            throws SQLException {
        if (afterCommit.failure().isPresent()) {
            // As the audit writers: a log that failed its integrity check takes no entry.
            throw new IllegalStateException("the log failed its integrity check; no input entry is appended");
        }
        int n = batch.size();
        try (PreparedStatement s = c.prepareStatement("select set_config('synchronous_commit', 'on', true)")) {
            s.execute();
        }
        long first;
        try (PreparedStatement s = c.prepareStatement("update audit_log_head set next_idx = next_idx + ? returning next_idx - ?")) {
            s.setLong(1, n);
            s.setLong(2, n);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                first = rs.getLong(1);
            }
        }
        Map<Long, Long> lastOfPerson = lastIndexes(c, "person_id", batch.stream().map(Pending::person).filter(p -> p != null).distinct().toList());
        Map<Long, Long> lastOfPartner = lastIndexes(c, "partner_id", batch.stream().map(Pending::partner).filter(p -> p != null).distinct().toList());
        Map<Long, byte[]> personKeys = keys.forPeople(c, batch.stream().map(Pending::person).filter(p -> p != null).distinct().toList(), sealer);

        byte[][] leafData = new byte[n][];
        byte[][] leafHashes = new byte[n][];
        byte[][] salts = new byte[n][];
        byte[][] nonces = new byte[n][];
        byte[][] ciphertexts = new byte[n][];
        byte[][] openings = new byte[n][];
        long[] idx = new long[n];
        long[] seqs = new long[n];
        Timestamp[] ats = new Timestamp[n];
        Short[] kinds = new Short[n];
        Long[] people = new Long[n];
        Long[] partnerIds = new Long[n];
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            long index = first + i;
            Map<Long, Long> last = p.person() != null ? lastOfPerson : lastOfPartner;
            long who = p.person() != null ? p.person() : p.partner();
            DecisionInput input = p.linked(last.getOrDefault(who, -1L)).input();
            last.put(who, index);
            byte[] bytes = InputCodec.encode(input);
            idx[i] = index;
            seqs[i] = input.seq();
            ats[i] = Timestamp.from(input.at());
            people[i] = p.person();
            partnerIds[i] = p.partner();
            if (p.person() != null) {
                byte[] key = personKeys.get(p.person());
                SealedEvent sealed = sealer.sealBytes(bytes, key == null ? sealer.newPersonKey() : key);
                leafData[i] = sealed.leafData();
                salts[i] = sealed.salt();
                nonces[i] = sealed.nonce();
                ciphertexts[i] = key == null ? null : sealed.ciphertext(); // an erased person's inputs are unreadable
                kinds[i] = (short) LogEntryKind.PERSON_INPUTS_V1;
            } else {
                byte[] salt = sealer.newPersonKey(); // 32 fresh random bytes
                leafData[i] = EventSealer.commitment(salt, bytes);
                salts[i] = salt;
                nonces[i] = new byte[0];
                openings[i] = bytes;
                kinds[i] = (short) LogEntryKind.PARTNER_INPUTS_V1;
            }
            leafHashes[i] = ProofVerifier.leafHash(leafData[i]);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        try (PreparedStatement s = c.prepareStatement("""
                insert into access_events (idx, leaf_data, leaf_hash, salt, nonce, ciphertext, subject_person, partner_id,
                                           outcome, at, entry_kind)
                select i, l, h, s, n, x, null, coalesce(p, 0), null, a, k
                  from unnest(?::int8[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::timestamptz[], ?::int2[],
                              ?::int8[]) as t(i, l, h, s, n, x, a, k, p)""")) {
            s.setArray(1, pg.createArrayOf("int8", idx));
            s.setArray(2, pg.createArrayOf("bytea", leafData));
            s.setArray(3, pg.createArrayOf("bytea", leafHashes));
            s.setArray(4, pg.createArrayOf("bytea", salts));
            s.setArray(5, pg.createArrayOf("bytea", nonces));
            s.setArray(6, pg.createArrayOf("bytea", ciphertexts));
            s.setArray(7, c.createArrayOf("timestamptz", ats));
            s.setArray(8, c.createArrayOf("int2", kinds));
            // partner_id is not null in access_events: a person's input names partner 0, which no partner has.
            s.setArray(9, c.createArrayOf("int8", partnerIds));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into decision_inputs (idx, seq, kind, person_id, partner_id, opening)
                select * from unnest(?::int8[], ?::int8[], ?::int2[], ?::int8[], ?::int8[], ?::bytea[])""")) {
            s.setArray(1, pg.createArrayOf("int8", idx));
            s.setArray(2, pg.createArrayOf("int8", seqs));
            s.setArray(3, c.createArrayOf("int2", kinds));
            s.setArray(4, c.createArrayOf("int8", people));
            s.setArray(5, c.createArrayOf("int8", partnerIds));
            s.setArray(6, pg.createArrayOf("bytea", openings));
            s.executeUpdate();
        }
        if (!recordedSeqs.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(
                    "insert into decision_inputs_recorded (seq) select unnest(?::int8[]) on conflict do nothing")) {
                s.setArray(1, c.createArrayOf("int8", recordedSeqs.toArray()));
                s.executeUpdate();
            }
        }
        if (snapshotSeq >= 0) {
            try (PreparedStatement s = c.prepareStatement(
                    "update decision_input_snapshots set through_person = ?, entries = entries + ? where seq = ?")) {
                s.setLong(1, through);
                s.setLong(2, n);
                s.setLong(3, snapshotSeq);
                s.executeUpdate();
            }
        }
        c.commit();
        if (n > 0) {
            afterCommit.committed(first, Arrays.asList(leafHashes));
        }
        return n;
    }

    private static Map<Long, Long> lastIndexes(Connection c, String column, List<Long> ids) throws SQLException {
        Map<Long, Long> last = new HashMap<>();
        if (ids.isEmpty()) {
            return last;
        }
        try (PreparedStatement s = c.prepareStatement("select " + column + ", max(idx) from decision_inputs where " + column
                + " = any(?) group by " + column)) {
            s.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) last.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return last;
    }

    /** The recorder's connection with the advisory lock held on it, or null while another instance holds the lock. */
    private Connection lockedConnection() throws SQLException {
        if (held != null && !held.isClosed()) {
            return held;
        }
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            s.setLong(1, LOCK);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    c.close();
                    return null;
                }
            }
        }
        c.setAutoCommit(false);
        held = c;
        return c;
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        Long v = nullableScalar(c, sql);
        if (v == null) {
            throw new SQLException("no value from: " + sql);
        }
        return v;
    }

    private static Long nullableScalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            return rs.next() ? (Long) rs.getObject(1) : null;
        }
    }

    private static Connection close(Connection c) {
        if (c != null) {
            try {
                c.rollback();
                try (PreparedStatement s = c.prepareStatement("select pg_advisory_unlock_all()")) {
                    s.execute(); // a pooled session outlives this use: it must not keep the lock
                }
                c.close();
            } catch (SQLException ignored) {
                // the pool tests and replaces it; the advisory lock ends with the session
            }
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            held = close(held);
        }
    }
}
