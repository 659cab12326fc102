package custos.server.console;

import custos.audit.Checkpoint;
import custos.audit.CheckpointMonitor;
import custos.audit.FullTile;
import custos.audit.InvalidProofException;
import custos.audit.LogTree;
import custos.audit.NoteVerifier;
import custos.audit.ProofVerifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The console's monitor of the log, kept running as a transparency-log monitor is: every {@link #EVERY} it reads the
 * latest signed checkpoint from the store, checks its signature against the key pinned on its first round, and proves
 * with {@link CheckpointMonitor} that it extends the last checkpoint it accepted and the earlier ones it has seen
 * (a rotating batch of {@link #BATCH} per round, all of them on the first round after a start) — the proofs computed
 * from the store's own tiles and entries, not from this instance's memory, so a rewritten tile, entry or checkpoint
 * fails them. Each round also re-hashes a window of stored entries against their stored leaf tiles. What it accepted
 * is kept in the store (V89), so a rollback across a restart is caught; each failure is kept there too, counted in
 * {@code custos_log_monitor_failures_total}, and shown in the console and in {@code /health} until a round passes.
 */
public final class LogMonitor implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(30);
    /** Earlier checkpoints proved against per round beyond the last accepted one. */
    static final int BATCH = 256;
    /** Full leaf tiles re-hashed per round (16,384 entries): a pass over a million entries takes 62 rounds. */
    static final int SWEEP_TILES = 64;
    private static final Logger LOG = Logger.getLogger(LogMonitor.class.getName());

    /** What the latest round found; {@code failure} is null when it passed. */
    public record State(Instant at, long size, String root, String origin, int earlierChecked, long earlierSeen,
                        long sweptTo, long swept, Duration took, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** A checkpoint the monitor accepted. */
    public record Seen(long size, Instant at, String root) {}

    /** A failed round, as kept. */
    public record Failure(Instant at, String message) {}

    private final Jdbi jdbi;
    private final String logKey;
    private final Clock clock;
    private final Counter failures;
    private final ScheduledExecutorService timer;
    private volatile State state;
    /** Where the next batch of earlier checkpoints starts (sizes above it; -1: from the first). */
    private long batchFrom = -1;
    /** The first round after a start proves against every earlier checkpoint, not a batch. */
    private boolean firstRound = true;
    private long sweepFrom;

    /** {@code logKey} is the verifier key the log signs with now; the key pinned on the first round is checked against it. */
    public LogMonitor(Jdbi jdbi, String logKey, Clock clock, MeterRegistry meters) {
        this.jdbi = jdbi;
        this.logKey = logKey.strip();
        this.clock = clock;
        this.failures = Counter.builder("custos.log.monitor.failures")
                .description("Rounds of the console's log monitor that found the log bad (fork, rollback, bad signature, rewritten entry)")
                .register(meters);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("custos-log-monitor").unstarted(r));
    }

    /** Starts the rounds in the background, the first at once. */
    public LogMonitor start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                round();
            } catch (RuntimeException e) {
                LOG.warning("log monitor round could not run: " + e);
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round now (the console's "check now" and tests); returns what it found. */
    public synchronized State round() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Round r = new Round();
        String failure = null;
        try {
            jdbi.useTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, h -> check(h, r, now));
        } catch (InvalidProofException | MissingTile e) {
            failure = e.getMessage();
        } catch (org.jdbi.v3.core.JdbiException e) {
            // The store not answering is not a verdict on the log: say so, count nothing.
            state = new State(now, r.size, r.root, r.origin, r.earlierChecked, r.earlierSeen, sweepFrom, r.swept,
                    Duration.ofNanos(System.nanoTime() - started), null);
            throw e;
        }
        if (failure != null) {
            failures.increment();
            String message = failure;
            jdbi.useHandle(h -> h.createUpdate("insert into console_log_monitor_failures (at, message) values (:at, :m)")
                    .bind("at", Timestamp.from(now)).bind("m", message).execute());
            LOG.severe("log monitor: " + message);
        }
        state = new State(now, r.size, r.root, r.origin, r.earlierChecked, r.earlierSeen, sweepFrom, r.swept,
                Duration.ofNanos(System.nanoTime() - started), failure);
        return state;
    }

    /** The latest round's state (null before the first). */
    public State state() {
        return state;
    }

    /** Why the latest round found the log bad, for {@code /health}; empty while it passes. */
    public Optional<String> failure() {
        State s = state;
        return s == null || s.ok() ? Optional.empty() : Optional.of(s.failure());
    }

    /** The newest {@code limit} accepted checkpoints and how many there are in all. */
    public List<Seen> seen(int limit) {
        return jdbi.withHandle(h -> h.createQuery("select size, seen_at, note from console_log_checkpoints order by size desc limit :n")
                .bind("n", limit).map((rs, ctx) -> new Seen(rs.getLong(1), rs.getTimestamp(2).toInstant(), rootOf(rs.getString(3))))
                .list());
    }

    public List<Failure> failures(int limit) {
        return jdbi.withHandle(h -> h.createQuery("select at, message from console_log_monitor_failures order by id desc limit :n")
                .bind("n", limit).map((rs, ctx) -> new Failure(rs.getTimestamp(1).toInstant(), rs.getString(2))).list());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** What a round learnt so far, for the state even when it fails half-way. */
    private static final class Round {
        long size = -1;
        String root = "";
        String origin = "";
        int earlierChecked;
        long earlierSeen;
        long swept;
    }

    private void check(Handle h, Round r, Instant now) throws InvalidProofException {
        NoteVerifier verifier = pinnedKey(h, now);
        record Stored(long size, String note) {}
        Optional<Stored> latest = h.createQuery("select size, note from log_checkpoints order by size desc limit 1")
                .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2))).findOne();
        Optional<Stored> accepted = h.createQuery("select size, note from console_log_checkpoints order by size desc limit 1")
                .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2))).findOne();
        r.earlierSeen = h.createQuery("select count(*) from console_log_checkpoints").mapTo(Long.class).one();
        if (latest.isEmpty()) {
            if (accepted.isPresent()) {
                throw new InvalidProofException("the store holds no signed checkpoint, but this console accepted one of "
                        + accepted.get().size() + " entries: the log was rolled back");
            }
            return;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = CheckpointMonitor.extend(verifier, null, latest.get().note(), null);
        } catch (InvalidProofException e) {
            throw new InvalidProofException("the latest checkpoint in the store (size " + latest.get().size()
                    + ") is not signed by the pinned key: " + e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        r.size = checkpoint.size();
        r.root = Base64.getEncoder().encodeToString(checkpoint.root());
        r.origin = checkpoint.origin();
        if (checkpoint.size() != latest.get().size()) {
            throw new InvalidProofException("the checkpoint stored for size " + latest.get().size() + " signs size " + checkpoint.size());
        }
        LogTree tree = StoreTree.of(h, checkpoint.size());
        if (checkpoint.size() > 0 && !MessageDigest.isEqual(tree.root(checkpoint.size()), checkpoint.root())) {
            throw new InvalidProofException("the stored entries 0.." + (checkpoint.size() - 1) + " and tiles do not hash to the root"
                    + " signed for size " + checkpoint.size() + ": an entry or a tile was changed, dropped or inserted");
        }
        // The last accepted first (the transparency monitor's proof), then a batch of the earlier ones.
        List<Stored> earlier = new ArrayList<>();
        accepted.ifPresent(earlier::add);
        int limit = firstRound ? Integer.MAX_VALUE : BATCH;
        List<Stored> batch = h.createQuery("select size, note from console_log_checkpoints where size > :from order by size limit :n")
                .bind("from", batchFrom).bind("n", limit)
                .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2))).list();
        earlier.addAll(batch);
        for (Stored e : earlier) {
            Checkpoint then;
            try {
                then = Checkpoint.parse(verifier.verify(e.note()));
            } catch (InvalidProofException bad) {
                throw new InvalidProofException("the checkpoint this console accepted for size " + e.size()
                        + " no longer verifies with the pinned key: " + bad.getMessage());
            }
            try {
                CheckpointMonitor.extend(verifier, then, latest.get().note(), tree::consistencyProof);
            } catch (InvalidProofException bad) {
                throw new InvalidProofException("the latest checkpoint (size " + checkpoint.size() + ") is not consistent with the"
                        + " one of size " + then.size() + " seen " + seenAt(h, e.size()) + ": " + bad.getMessage());
            } catch (RuntimeException unchecked) {
                throw unchecked;
            } catch (Exception other) {
                throw new IllegalStateException(other);
            }
            r.earlierChecked++;
        }
        // The next round goes on after this batch; a short batch reached the newest, so the next starts over.
        batchFrom = batch.size() < limit ? -1 : batch.get(batch.size() - 1).size();
        firstRound = false;
        r.swept = sweep(h, checkpoint.size());
        if (accepted.isEmpty() || accepted.get().size() != checkpoint.size()) {
            h.createUpdate("insert into console_log_checkpoints (size, note, seen_at) values (:s, :n, :at) on conflict do nothing")
                    .bind("s", checkpoint.size()).bind("n", latest.get().note()).bind("at", Timestamp.from(now)).execute();
            r.earlierSeen = h.createQuery("select count(*) from console_log_checkpoints").mapTo(Long.class).one();
        }
    }

    /** The key pinned on the first round; a log now signing with another is a failure, not a new trust. */
    private NoteVerifier pinnedKey(Handle h, Instant now) throws InvalidProofException {
        h.createUpdate("insert into console_log_monitor_key (key, pinned_at) values (:k, :at) on conflict do nothing")
                .bind("k", logKey).bind("at", Timestamp.from(now)).execute();
        String pinned = h.createQuery("select key from console_log_monitor_key").mapTo(String.class).one();
        if (!pinned.equals(logKey)) {
            throw new InvalidProofException("the log now signs with key " + logKey + ", not the key " + pinned
                    + " this console pinned: its checkpoints are not trusted (a re-signed log)");
        }
        return NoteVerifier.parse(pinned);
    }

    /**
     * Re-hashes the next {@link #SWEEP_TILES} full leaf tiles' entries and compares them with the stored tiles (hashes
     * and root), so a rewritten entry under a full tile is found within one pass over the log; returns the entries read.
     */
    private long sweep(Handle h, long size) throws InvalidProofException {
        long fullTiles = Math.min(size, StoreTree.tiledSize(h)) / FullTile.WIDTH;
        if (fullTiles == 0) {
            sweepFrom = 0;
            return 0;
        }
        long first = sweepFrom / FullTile.WIDTH >= fullTiles ? 0 : sweepFrom / FullTile.WIDTH;
        long until = Math.min(fullTiles, first + SWEEP_TILES);
        List<byte[]> leaves = StoreTree.leafHashes(h, first * FullTile.WIDTH, until * FullTile.WIDTH);
        record Tile(long idx, byte[] hashes, byte[] root) {}
        List<Tile> stored = h.createQuery("select idx, hashes, root from log_tiles where level = 0 and idx >= :a and idx < :b order by idx")
                .bind("a", first).bind("b", until).map((rs, ctx) -> new Tile(rs.getLong(1), rs.getBytes(2), rs.getBytes(3))).list();
        for (long t = first; t < until; t++) {
            int i = (int) (t - first);
            if (i >= stored.size() || stored.get(i).idx() != t) {
                throw new InvalidProofException("the stored leaf tile 0/" + t + " is missing");
            }
            byte[] hashes = new byte[FullTile.BYTES];
            for (int k = 0; k < FullTile.WIDTH; k++) {
                System.arraycopy(leaves.get(i * FullTile.WIDTH + k), 0, hashes, k * 32, 32);
            }
            Tile tile = stored.get(i);
            if (!MessageDigest.isEqual(hashes, tile.hashes()) || !MessageDigest.isEqual(new FullTile(0, t, hashes).root(), tile.root())) {
                throw new InvalidProofException("the stored leaf tile 0/" + t + " differs from what the stored entries "
                        + t * FullTile.WIDTH + ".." + ((t + 1) * FullTile.WIDTH - 1) + " hash to: an entry or the tile was rewritten");
            }
        }
        sweepFrom = until >= fullTiles ? 0 : until * FullTile.WIDTH;
        return (until - first) * FullTile.WIDTH;
    }

    private static String seenAt(Handle h, long size) {
        return h.createQuery("select seen_at from console_log_checkpoints where size = :s").bind("s", size)
                .mapTo(Timestamp.class).findOne().map(t -> "at " + t.toInstant()).orElse("earlier");
    }

    private static String rootOf(String note) {
        String[] lines = note.split("\n", 4);
        return lines.length > 2 ? lines[2] : "";
    }

    /** Entries are stored densely from 0: a gap under a signed checkpoint is a removed entry. */
    static void checkDense(long expected, long found) throws InvalidProofException {
        if (expected != found) {
            throw new InvalidProofException("entry " + expected + " is missing from the store (the next stored one is " + found + ")");
        }
    }

    /** The log's tree as the store holds it, for one round: stored tiles below the last full tile, re-hashed entries above. */
    static final class StoreTree implements custos.audit.TileStore {
        private final Handle h;
        private final java.util.Map<String, byte[]> read = new java.util.HashMap<>();

        private StoreTree(Handle h) {
            this.h = h;
        }

        static LogTree of(Handle h, long size) throws InvalidProofException {
            long base = Math.min(size, tiledSize(h)) / FullTile.WIDTH * FullTile.WIDTH;
            LogTree tree = LogTree.resume(new StoreTree(h), base);
            for (byte[] leaf : leafHashes(h, base, size)) {
                tree.appendLeafHash(leaf);
            }
            return tree;
        }

        /** Leaves covered by the stored full leaf tiles. */
        static long tiledSize(Handle h) {
            return h.createQuery("select coalesce(max(idx) + 1, 0) from log_tiles where level = 0").mapTo(Long.class).one() * FullTile.WIDTH;
        }

        /** Leaf hashes of stored entries, recomputed from their data (the stored hash column is not trusted). */
        static List<byte[]> leafHashes(Handle h, long from, long to) throws InvalidProofException {
            List<byte[]> out = new ArrayList<>((int) Math.max(0, to - from));
            long expected = from;
            for (long chunk = from; chunk < to; chunk += 10_000) {
                long end = Math.min(to, chunk + 10_000);
                List<Object[]> rows = h.createQuery("select idx, leaf_data from access_events where idx >= :a and idx < :b order by idx")
                        .bind("a", chunk).bind("b", end).map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).list();
                for (Object[] row : rows) {
                    checkDense(expected, (Long) row[0]);
                    out.add(ProofVerifier.leafHash((byte[]) row[1]));
                    expected++;
                }
                if (expected < end) {
                    throw new InvalidProofException("entry " + expected + " is missing from the store, under a signed checkpoint");
                }
            }
            return out;
        }

        @Override
        public byte[] tile(int level, long index) {
            return read.computeIfAbsent(level + "/" + index, k -> h.createQuery("select hashes from log_tiles where level = :l and idx = :i")
                    .bind("l", level).bind("i", index).mapTo(byte[].class).findOne()
                    .orElseThrow(() -> new MissingTile("the stored tile " + level + "/" + index + " of the log's tree is missing")));
        }

        @Override
        public List<byte[]> roots(int level, long from, long to) {
            List<byte[]> roots = h.createQuery("select root from log_tiles where level = :l and idx >= :a and idx < :b order by idx")
                    .bind("l", level).bind("a", from).bind("b", to).mapTo(byte[].class).list();
            if (roots.size() != to - from) {
                throw new MissingTile("the stored tiles " + level + "/" + from + ".." + (to - 1) + " are not all in the store");
            }
            return roots;
        }
    }

    /** A tile the signed checkpoints cover is not stored. */
    private static final class MissingTile extends RuntimeException {
        MissingTile(String message) {
            super(message);
        }
    }
}
