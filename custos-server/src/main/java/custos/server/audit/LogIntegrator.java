package custos.server.audit;

import custos.audit.Checkpoint;
import custos.audit.FullTile;
import custos.audit.LogTree;
import custos.audit.CheckpointSigner;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;

/**
 * Integrates the durable entries into this instance's Merkle tree right after they are sequenced (RFC 6962 leaf
 * hashes, in index order, from every instance's appends), and publishes a signed C2SP checkpoint at least every
 * second while the tree grows. Full tiles of the tree are stored ({@code log_tiles}) as they complete, and the tree
 * reads them back through a bounded cache, so memory does not grow with the log. The tree is resumed from the stored
 * tiles at start (its newest entries re-hashed), and the store is checked before anything
 * is signed ({@link StartCheck}) and again on every poll ({@link RunningCheck}): a log that is not the one this log
 * signed (a gap, a changed entry, a rollback, a fork) fails it, and from then on it signs nothing and the audit
 * writer appends nothing ({@link #failure()}).
 */
public final class LogIntegrator implements GroupCommitAccessLog.Committed, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogIntegrator.class.getName());

    private final Jdbi jdbi;
    private final LogTree tree;
    private final StoredTiles tiles;
    private final CheckpointSigner signer;
    private final LogKeyring keyring;
    private final RunningCheck check;
    private final Thread thread;
    private final Object nudge = new Object();
    /** Held while leaves are appended, so the store reader and {@link #committed} never append the same index twice. */
    private final Object integration = new Object();
    private static final Duration STORE_POLL = Duration.ofMillis(200);
    /** A growing tree gets a signed checkpoint this often: several a second, not one per batch. */
    private static final Duration SIGN_EVERY = Duration.ofMillis(250);
    private volatile boolean behind;
    private volatile boolean running = true;
    private volatile String latestNote;
    private volatile long signedSize = -1;
    private volatile long lastSignedNanos;
    private volatile LogIntegrityException failure;
    private final long rehashedFrom;

    /**
     * Records the signer's public key ({@link LogKeys#register}: a new key is a rotation), then resumes and checks the
     * tree; throws {@link LogIntegrityException}, having signed nothing, if the log fails.
     */
    public LogIntegrator(Jdbi jdbi, CheckpointSigner signer) {
        this(jdbi, signer, StartCheck.REHASHED);
    }

    /** As above, re-hashing at least the newest {@code rehashed} entries at start (tests choose a small window). */
    LogIntegrator(Jdbi jdbi, CheckpointSigner signer, long rehashed) {
        this.jdbi = jdbi;
        this.signer = signer;
        this.keyring = LogKeys.register(jdbi, signer);
        this.tiles = new StoredTiles(jdbi);
        long started = System.nanoTime();
        TileBackfill.run(jdbi, keyring, tiles, rehashed);
        long backfilled = System.nanoTime();
        StartCheck.Rebuilt rebuilt = StartCheck.rebuild(jdbi, keyring, tiles, rehashed);
        long checked = System.nanoTime();
        this.tree = rebuilt.tree();
        this.rehashedFrom = rebuilt.rehashedFrom();
        this.latestNote = rebuilt.latestNote();
        storeTiles(); // the tiles of the re-hashed entries: one that differs from a stored one fails the start
        LOG.info(String.format("audit log of %d entries resumed from stored tiles and checked, entries %d.. re-read: tiles built %.2f s,"
                        + " start check %.2f s, re-read tiles compared %.2f s (%d tile roots and %d tiles read)", tree.size(), rehashedFrom,
                (backfilled - started) / 1e9, (checked - backfilled) / 1e9, (System.nanoTime() - checked) / 1e9, tiles.rootsRead(), tiles.tilesRead()));
        this.check = new RunningCheck(new SignedCheckpoints(keyring));
        publishIfGrown(true);
        this.thread = Thread.ofPlatform().daemon().name("custos-log-integrator").start(this::run);
    }

    /** The store's tiles as this instance reads them (for tests counting reads). */
    StoredTiles tiles() {
        return tiles;
    }

    /** Bytes of stored tiles (and their interior nodes) held in the bounded caches now: the part of the log's memory that may grow, to its bound. */
    public long cachedTileBytes() {
        return tiles.cachedBytes();
    }

    /** The first entry the start re-read and re-hashed; the tree before it was resumed from stored tiles. */
    public long rehashedFrom() {
        return rehashedFrom;
    }

    public LogTree tree() {
        return tree;
    }

    public CheckpointSigner signer() {
        return signer;
    }

    /** Every key the log has had, with the tree sizes each signed. */
    public LogKeyring keyring() {
        return keyring;
    }

    /** The size of the latest checkpoint this instance signed (-1 before the first). */
    public long signedSize() {
        return signedSize;
    }

    /** How long ago this instance last signed a checkpoint (an idle log signs nothing: read it with the unsigned count). */
    public java.time.Duration checkpointAge() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastSignedNanos);
    }

    /** The latest signed checkpoint (a C2SP signed note). */
    public String latestCheckpoint() {
        return latestNote;
    }

    /**
     * A batch this instance just made durable: integrated at once when it continues the tree, which spares reading
     * the hashes back from the store; otherwise (another writer's or instance's entries come first) the integrator
     * reads the store in order.
     */
    @Override
    public void committed(long firstIndex, List<byte[]> leafHashes) {
        if (failure != null) {
            return;
        }
        boolean gap;
        synchronized (integration) {
            long size = tree.size();
            gap = firstIndex > size;
            if (gap) {
                behind = true;
            } else {
                for (int i = 0; i < leafHashes.size(); i++) {
                    long index = firstIndex + i;
                    if (index >= size) {
                        tree.appendLeafHash(leafHashes.get(i));
                    } else if (!MessageDigest.isEqual(tree.leafHash(index), leafHashes.get(i))) {
                        // Read from the store first is normal; a different leaf at an integrated index is a moved-back head.
                        fail(new LogIntegrityException("head row", "this instance's writer stored a new entry at index " + index
                                + ", which already holds another integrated entry (the head was moved back)"));
                        return;
                    }
                }
            }
        }
        // Only a gap needs the integrator at once; waking it for every batch cost a thread switch per batch, and
        // the next checkpoint is signed when due (SIGN_EVERY) whether it was woken or not.
        if (gap) {
            nudge();
        }
    }

    /** Why the log failed its check, once it has: this instance then signs nothing and appends nothing. */
    @Override
    public Optional<LogIntegrityException> failure() {
        return Optional.ofNullable(failure);
    }

    private void fail(LogIntegrityException e) {
        if (failure == null) {
            failure = e;
            LOG.severe(e.getMessage());
        }
    }

    /** Wakes the integrator: a batch has just become durable. */
    public void nudge() {
        synchronized (nudge) {
            nudge.notifyAll();
        }
    }

    /** Waits until the published checkpoint covers {@code size} entries; false on timeout. */
    public boolean awaitCheckpoint(long size, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (signedSize >= size) {
                    return true;
                }
            }
            nudge();
            Thread.sleep(20);
        }
        return false;
    }

    private void run() {
        long lastRead = System.nanoTime();
        long lastChecked = lastRead;
        while (running) {
            try {
                long waitMillis = STORE_POLL.toMillis();
                if (tree.size() != signedSize) {
                    long sinceSigned = System.nanoTime() - lastSignedNanos;
                    waitMillis = Math.clamp((SIGN_EVERY.toNanos() - sinceSigned) / 1_000_000, 1, waitMillis);
                }
                synchronized (nudge) {
                    nudge.wait(waitMillis);
                }
                if (failure != null) {
                    continue; // stopped: nothing more is integrated or signed
                }
                // Other instances' entries are found by polling the store; this instance's own arrive by committed().
                if (behind || System.nanoTime() - lastRead >= STORE_POLL.toNanos()) {
                    behind = false;
                    integrate();
                    lastRead = System.nanoTime();
                }
                storeTiles();
                if (System.nanoTime() - lastChecked >= STORE_POLL.toNanos()) {
                    // On its own clock, not on every gap: with several instances a gap can come with every batch.
                    jdbi.useHandle(h -> check.check(h, tree));
                    lastChecked = System.nanoTime();
                }
                publishIfGrown(System.nanoTime() - lastSignedNanos >= SIGN_EVERY.toNanos());
            } catch (InterruptedException e) {
                return;
            } catch (LogIntegrityException e) {
                fail(e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "log integration failed; retrying", e);
            }
        }
    }

    private void integrate() {
        synchronized (integration) {
            integrateFromStore();
        }
    }

    private void integrateFromStore() {
        // Indexes are dense and commit in order, so the range holds exactly the next entries; each is checked as it
        // is integrated: its index continues the tree, its hash is its data's.
        jdbi.useHandle(h -> StartCheck.readEntries(h, tree));
    }

    /**
     * Stores the full tiles completed since the last call, in the order they completed, in one transaction (so the
     * stored tiles always end at one tree size); from then on the tree reads them back through the bounded cache.
     */
    private void storeTiles() {
        List<FullTile> done = tree.completedTiles();
        if (done.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> tiles.writeOrFail(h, done));
        tree.tilesStored(done.size());
    }

    /** Signs and stores a checkpoint when the tree grew (at most a few times a second). */
    private synchronized void publishIfGrown(boolean due) {
        long size = tree.size();
        if (size == signedSize || !due || failure != null) {
            return;
        }
        Checkpoint checkpoint = new Checkpoint(signer.name(), size, tree.root(size), List.of());
        String note = signer.sign(checkpoint.body());
        jdbi.useHandle(h -> h.createUpdate("insert into log_checkpoints (size, note) values (:s, :n) on conflict (size) do nothing")
                .bind("s", size).bind("n", note).execute());
        latestNote = note;
        signedSize = size;
        lastSignedNanos = System.nanoTime();
    }

    /** The checkpoint note covering at least {@code size} entries, for receipts. */
    public String checkpointCovering(long size) {
        String latest = latestNote;
        if (latest != null && signedSize >= size) {
            return latest;
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure == null && !thread.isAlive()) {
            try {
                storeTiles(); // spares the next start re-hashing them
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not store the last completed tiles; the next start re-hashes their entries", e);
            }
        }
    }
}
