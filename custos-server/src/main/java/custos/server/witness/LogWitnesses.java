package custos.server.witness;

import custos.audit.Checkpoint;
import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.SignedNote;
import custos.audit.witness.AddCheckpoint;
import custos.server.audit.LogIntegrator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;

/**
 * The gateway's side of c2sp.org/tlog-witness: each configured witness has its own background loop that submits the
 * log's latest checkpoint with a consistency proof from the size that witness last cosigned (learnt from its 409
 * answers when unknown), checks the cosignature it returns and stores it ({@code log_cosignatures}). A witness that
 * is down or refuses is retried with backoff and never holds up the log. The checkpoint served is the newest one
 * carrying the most cosignatures among the newest and those this instance saw signed in the last {@link #WINDOW}:
 * while the witnesses keep up every served checkpoint carries all their cosignatures, and a witness that is down
 * costs only its own cosignature (after at most that window, the newest checkpoint is served without it).
 */
public final class LogWitnesses implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogWitnesses.class.getName());
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final int KEEP = 256;
    private static final int MAX_RESPONSE = 64 * 1024;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** One signed checkpoint, when this instance first saw it, and the cosignatures collected for it by witness name. */
    private record Signed(String note, String body, long size, long seenNanos, Map<String, String> cosignatures) {}

    private final Jdbi jdbi;
    private final LogIntegrator log;
    private final List<WitnessPeer> peers;
    private final HttpClient http;
    private final ConcurrentSkipListMap<Long, Signed> recent = new ConcurrentSkipListMap<>();
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Signed last;
    private final java.util.concurrent.atomic.AtomicLong servedFloor = new java.util.concurrent.atomic.AtomicLong();

    /** What the gateway knows about one witness: the size it cosigned last, and why the last try failed. */
    private static final class Feed {
        volatile long witnessSize;
        volatile String lastError;
    }

    private LogWitnesses(Jdbi jdbi, LogIntegrator log, List<WitnessPeer> peers) {
        this.jdbi = jdbi;
        this.log = log;
        this.peers = List.copyOf(peers);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts one submission loop per witness (none for an empty list: the log's own checkpoint is served as is). */
    public static LogWitnesses start(Jdbi jdbi, LogIntegrator log, List<WitnessPeer> peers, MeterRegistry meters) {
        LogWitnesses w = new LogWitnesses(jdbi, log, peers);
        Gauge.builder("custos.log.witnesses.configured", w.peers::size).description("Witnesses configured to cosign the log").register(meters);
        Gauge.builder("custos.log.witnesses.cosigned", w::cosignedServed)
                .description("Witness cosignatures on the checkpoint served now").register(meters);
        Signed latest = w.current();
        for (WitnessPeer peer : w.peers) {
            Feed feed = new Feed();
            feed.witnessSize = jdbi.withHandle(h -> h.createQuery("select max(size) from log_cosignatures where witness = :w")
                    .bind("w", peer.name()).mapTo(Long.class).findOne().orElse(0L));
            if (latest != null) {
                jdbi.withHandle(h -> h.createQuery("select signature from log_cosignatures where size = :s and witness = :w")
                        .bind("s", latest.size()).bind("w", peer.name()).mapTo(String.class).findOne())
                        .ifPresent(line -> latest.cosignatures().put(peer.name(), line));
            }
            w.feeds.put(peer.name(), feed);
            w.threads.add(Thread.ofVirtual().name("custos-witness-" + peer.name()).start(() -> w.feed(peer, feed)));
        }
        return w;
    }

    /** The checkpoint to serve: the log's signed note with the witnesses' cosignature lines appended. */
    public String served() {
        Signed latest = current();
        if (latest == null) return null;
        if (peers.isEmpty()) return latest.note();
        Signed best = best(latest);
        StringBuilder note = new StringBuilder(best.note());
        for (WitnessPeer p : peers) {
            String line = best.cosignatures().get(p.name());
            if (line != null) note.append(line);
        }
        return note.toString();
    }

    /** How many witnesses cosigned the checkpoint served now. */
    public int cosignedServed() {
        Signed latest = current();
        return latest == null || peers.isEmpty() ? 0 : best(latest).cosignatures().size();
    }

    /** Per witness name: the size it last cosigned for this log, and the last failure if the last try failed. */
    public Map<String, String> status() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (WitnessPeer p : peers) {
            Feed f = feeds.get(p.name());
            out.put(p.name(), "size " + f.witnessSize + (f.lastError == null ? "" : "; last try: " + f.lastError));
        }
        return out;
    }

    /**
     * The checkpoint to serve; never smaller than one served before, or a monitor holding the earlier one would see
     * the log shrink (an older checkpoint can gain a cosignature after a newer one was served without any).
     */
    private Signed best(Signed latest) {
        Signed best = latest;
        long from = System.nanoTime() - WINDOW.toNanos(); // the newest is always a candidate; older ones for a while
        long floor = Math.min(servedFloor.get(), latest.size());
        for (Signed s : recent.subMap(floor, true, latest.size(), true).descendingMap().values()) {
            if (s.seenNanos() < from) break;
            if (s.cosignatures().size() > best.cosignatures().size()) best = s;
        }
        long size = best.size();
        servedFloor.accumulateAndGet(size, Math::max);
        return best;
    }

    /** The log's latest signed checkpoint, registered among the recent ones the first time it is seen. */
    private Signed current() {
        String note = log.latestCheckpoint();
        Signed seen = last;
        if (note == null) return null;
        if (seen != null && seen.note().equals(note)) return seen;
        String body = LogAuditor.body(note);
        long size;
        try {
            size = Checkpoint.parse(body).size();
        } catch (InvalidProofException e) {
            throw new IllegalStateException("the log's own checkpoint does not parse", e);
        }
        Signed signed = recent.computeIfAbsent(size, s -> new Signed(note, body, s, System.nanoTime(), new ConcurrentHashMap<>()));
        while (recent.size() > KEEP) recent.pollFirstEntry();
        last = signed;
        return signed;
    }

    private void feed(WitnessPeer peer, Feed feed) {
        int failures = 0;
        int conflicts = 0;
        String logged = null;
        while (running) {
            try {
                Signed latest = current();
                if (latest == null || latest.cosignatures().containsKey(peer.name())) {
                    Thread.sleep(50);
                    continue;
                }
                Optional<String> error = submit(peer, feed, latest);
                if (error.isEmpty()) {
                    failures = 0;
                    conflicts = 0;
                    logged = null;
                    continue;
                }
                if (error.get().startsWith("409") && ++conflicts <= 3) {
                    continue; // the witness told its size: try again at once with a proof from there
                }
                conflicts = 0;
                feed.lastError = error.get();
                failures++;
                // Not the first failure: at start the gateway may well be up before its witnesses.
                if (failures >= 2 && !error.get().equals(logged)) {
                    LOG.warning("witness " + peer.name() + " did not cosign size " + latest.size() + ": " + error.get());
                    logged = error.get();
                }
                Thread.sleep(Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(failures, 10)));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                feed.lastError = "failed: " + e.getMessage();
                failures++;
                try {
                    Thread.sleep(Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(failures, 10)));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** One add-checkpoint round trip; empty when the witness cosigned, else why not (starting with its status). */
    private Optional<String> submit(WitnessPeer peer, Feed feed, Signed signed) throws InterruptedException {
        long old = feed.witnessSize;
        if (old > signed.size()) {
            return Optional.of("the witness has cosigned size " + old + ", beyond this log's " + signed.size());
        }
        List<byte[]> proof = old == 0 || old == signed.size() ? List.of() : log.tree().consistencyProof(old, signed.size());
        HttpRequest request = HttpRequest.newBuilder(peer.url().resolve(peer.url().getPath() + "/add-checkpoint"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new AddCheckpoint(old, proof, signed.note()).bytes())).build();
        int status;
        String body;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_RESPONSE), StandardCharsets.UTF_8);
            }
        } catch (java.io.IOException e) {
            return Optional.of("unreachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        if (status == 409) {
            String size = body.strip();
            if (!size.matches("0|[1-9][0-9]{0,18}")) return Optional.of("409 without a size");
            feed.witnessSize = Long.parseLong(size);
            return Optional.of("409: the witness is at size " + size);
        }
        if (status != 200) {
            return Optional.of(status + ": " + body.lines().findFirst().orElse("").strip());
        }
        String line = cosignature(peer, signed, body);
        if (line == null) return Optional.of("200 without a valid cosignature by " + peer.verifier().verifierKey());
        jdbi.useHandle(h -> h.createUpdate("insert into log_cosignatures (size, witness, signature) values (:s, :w, :l) on conflict do nothing")
                .bind("s", signed.size()).bind("w", peer.name()).bind("l", line).execute());
        signed.cosignatures().put(peer.name(), line);
        feed.witnessSize = signed.size();
        feed.lastError = null;
        return Optional.empty();
    }

    /** The response line that is this witness's valid cosignature on the checkpoint; others are ignored (the spec). */
    private static String cosignature(WitnessPeer peer, Signed signed, String responseBody) {
        try {
            for (SignedNote.Signature s : SignedNote.parse(signed.body() + "\n" + responseBody).signatures()) {
                OptionalLong t = peer.verifier().timestampIfMine(signed.body(), s);
                if (t.isPresent()) return s.line();
            }
        } catch (InvalidProofException e) {
            return null;
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
