package custos.server.audit;

import custos.audit.Checkpoint;
import custos.audit.EntryBundle;
import custos.audit.InvalidProofException;
import custos.audit.LogAuditor;
import custos.audit.TilePath;
import custos.audit.TlogProof;
import custos.server.http.Json;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import custos.server.http.WebFeature;
import custos.server.store.PlanEachCall;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The log as anyone can read it: the signed checkpoint, C2SP tlog-tiles (hash tiles and entry bundles, so the log
 * can be mirrored by a static web server), inclusion and consistency proofs, and a person's receipt for one entry
 * as a C2SP tlog-proof. Entries are the public commitments only; no personal data is served here.
 */
public final class LogEndpoints implements WebFeature {
    private final Jdbi jdbi;
    private final LogIntegrator log;
    private final java.util.function.Supplier<String> served;

    public LogEndpoints(Jdbi jdbi, LogIntegrator log) {
        this(jdbi, log, log::latestCheckpoint);
    }

    /** {@code served}: the checkpoint note {@code /log/checkpoint} serves (the log's, with witness cosignatures when configured). */
    public LogEndpoints(Jdbi jdbi, LogIntegrator log, java.util.function.Supplier<String> served) {
        this.jdbi = jdbi;
        this.log = log;
        this.served = served;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/log/checkpoint", (req, res) -> text(res, checkpoint()))
                .get("/log/key", (req, res) -> text(res, log.signer().verifierKey() + "\n"))
                .get("/log/tile/*", this::tile)
                .get("/v1/log/proof/inclusion", this::inclusion)
                .get("/v1/log/proof/consistency", this::consistency)
                .get("/v1/log/receipt/{index}", this::receipt);
    }

    private String checkpoint() {
        String note = served.get();
        if (note == null) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "the log has no checkpoint yet");
        }
        return note;
    }

    private void tile(ServerRequest req, ServerResponse res) {
        String path = req.path().path().substring("/log/".length());
        TilePath tile;
        try {
            tile = TilePath.parse(path);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "not a tile: " + path);
        }
        byte[] body;
        try {
            body = tile.entries() ? entries(tile) : log.tree().tile(tile.level(), tile.index(), tile.width());
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "no such tile yet: " + path);
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        if (tile.width() == TilePath.FULL) {
            res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
        }
        res.send(body);
    }

    private byte[] entries(TilePath tile) {
        long first = tile.index() * TilePath.FULL;
        if (first + tile.width() > log.tree().size()) {
            throw new IllegalArgumentException("beyond the tree");
        }
        List<byte[]> data = jdbi.withHandle(h -> h.createQuery(
                        "select leaf_data from access_events where idx >= :a and idx < :b order by idx")
                .addCustomizer(PlanEachCall.INSTANCE).bind("a", first).bind("b", first + tile.width()).mapTo(byte[].class).list());
        return EntryBundle.encode(data);
    }

    private void inclusion(ServerRequest req, ServerResponse res) {
        long index = number(req, "index");
        long size = number(req, "size");
        if (size < 1 || index >= size || size > log.tree().size()) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "need 0 <= index < size <= " + log.tree().size());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("index", index);
        body.put("size", size);
        body.put("leafHash", b64(log.tree().leafHash(index)));
        body.put("rootHash", b64(log.tree().root(size)));
        body.put("hashes", log.tree().inclusionProof(index, size).stream().map(LogEndpoints::b64).toList());
        json(res, body);
    }

    private void consistency(ServerRequest req, ServerResponse res) {
        long from = number(req, "from");
        long to = number(req, "to");
        if (from < 1 || from > to || to > log.tree().size()) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "need 1 <= from <= to <= " + log.tree().size());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("fromRoot", b64(log.tree().root(from)));
        body.put("toRoot", b64(log.tree().root(to)));
        body.put("hashes", log.tree().consistencyProof(from, to).stream().map(LogEndpoints::b64).toList());
        json(res, body);
    }

    private void receipt(ServerRequest req, ServerResponse res) {
        long index = custos.server.http.StrictNumbers.nonNegative(req.path().pathParameters().get("index"))
                .orElseThrow(() -> ProblemException.of(ProblemType.BAD_REQUEST, "index must be a non-negative integer"));
        String note = log.checkpointCovering(index + 1);
        if (index < 0 || note == null) {
            throw new ProblemException(custos.server.http.Problem.of(ProblemType.NOT_FOUND,
                    "no signed checkpoint covers entry " + index + " yet; retry in a second"), Map.of("Retry-After", "1"));
        }
        long size;
        try {
            size = Checkpoint.parse(LogAuditor.body(note)).size();
        } catch (InvalidProofException e) {
            throw new IllegalStateException("the log's own checkpoint does not parse", e);
        }
        text(res, new TlogProof(index, log.tree().inclusionProof(index, size), note).format());
    }

    private static long number(ServerRequest req, String name) {
        String raw = req.query().first(name).orElseThrow(() -> ProblemException.of(ProblemType.BAD_REQUEST, name + " is required"));
        return custos.server.http.StrictNumbers.nonNegative(raw)
                .orElseThrow(() -> ProblemException.of(ProblemType.BAD_REQUEST, name + " must be a non-negative integer"));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static void text(ServerResponse res, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send(body);
    }

    private static void json(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(body));
    }
}
