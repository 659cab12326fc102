package custos.server.audit;

import custos.audit.Checkpoint;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.server.store.PlanEachCall;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;

/**
 * Integrates the durable entries into this instance's Merkle tree right after they are sequenced (RFC 6962 leaf
 * hashes, in index order, from every instance's appends), and publishes a signed C2SP checkpoint at least every
 * second while the tree grows. The tree is rebuilt from the stored leaf hashes at start; the store stays the truth.
 */
public final class LogIntegrator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogIntegrator.class.getName());

    private final Jdbi jdbi;
    private final LogTree tree = new LogTree();
    private final NoteSigner signer;
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

    public LogIntegrator(Jdbi jdbi, NoteSigner signer) {
        this.jdbi = jdbi;
        this.signer = signer;
        integrate();
        latestNote = jdbi.withHandle(h -> h.createQuery("select note from log_checkpoints order by size desc limit 1")
                .mapTo(String.class).findOne()).orElse(null);
        publishIfGrown(true);
        this.thread = Thread.ofPlatform().daemon().name("custos-log-integrator").start(this::run);
    }

    public LogTree tree() {
        return tree;
    }

    public NoteSigner signer() {
        return signer;
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
    public void committed(long firstIndex, List<byte[]> leafHashes) {
        boolean gap;
        synchronized (integration) {
            gap = firstIndex > tree.size();
            if (firstIndex == tree.size()) {
                leafHashes.forEach(tree::appendLeafHash);
            } else if (gap) {
                behind = true;
            }
        }
        // Only a gap needs the integrator at once; waking it for every batch cost a thread switch per batch, and
        // the next checkpoint is signed when due (SIGN_EVERY) whether it was woken or not.
        if (gap) {
            nudge();
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
                // Other instances' entries are found by polling the store; this instance's own arrive by committed().
                if (behind || System.nanoTime() - lastRead >= STORE_POLL.toNanos()) {
                    behind = false;
                    integrate();
                    lastRead = System.nanoTime();
                }
                publishIfGrown(System.nanoTime() - lastSignedNanos >= SIGN_EVERY.toNanos());
            } catch (InterruptedException e) {
                return;
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
        while (true) {
            long from = tree.size();
            // Bounded on both sides: a plan kept for the session stays an index range scan at any table size (with
            // only a lower bound, one made while the log was small read the whole table every poll). Indexes are
            // dense and commit in order, so the range holds exactly the next entries.
            List<byte[]> hashes = jdbi.withHandle(h -> h.createQuery(
                            "select leaf_hash from access_events where idx >= :from and idx < :to order by idx")
                    .addCustomizer(PlanEachCall.INSTANCE).bind("from", from).bind("to", from + 10_000).mapTo(byte[].class).list());
            hashes.forEach(tree::appendLeafHash);
            if (hashes.size() < 10_000) {
                return;
            }
        }
    }

    /** Signs and stores a checkpoint when the tree grew (at most a few times a second). */
    private synchronized void publishIfGrown(boolean due) {
        long size = tree.size();
        if (size == signedSize || !due) {
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
    }
}
