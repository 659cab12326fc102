package custos.server.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import custos.audit.Checkpoint;
import custos.audit.EntryBundle;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.audit.TilePath;
import custos.server.http.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log host that the test controls entry by entry, serving the same endpoints as a Custos (checkpoint, key, entry
 * tiles, consistency proofs): an honest log, or one that its operator rewrites, rolls back or re-signs, which a real
 * gateway refuses to do (its start check stops it), so the checkers are tested against the lying host here.
 */
final class LogHost implements AutoCloseable {
    static final String ORIGIN = "custos.test/log";
    private static final Pattern ENTRIES = Pattern.compile("/log/(tile/entries/.+)");
    private final HttpServer server;
    private volatile List<byte[]> leaves = List.of();
    private volatile NoteSigner signer;
    private volatile int servedChanged = -1;

    LogHost(NoteSigner signer) throws IOException {
        this.signer = signer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Appends entries whose data are "entry N". */
    LogHost grow(int count) {
        List<byte[]> next = new ArrayList<>(leaves);
        for (int i = 0; i < count; i++) next.add(("entry " + next.size()).getBytes(StandardCharsets.UTF_8));
        leaves = next;
        return this;
    }

    /** The operator's rewrite: entry {@code index} changed, everything after kept. */
    LogHost rewrite(int index) {
        List<byte[]> next = new ArrayList<>(leaves);
        next.set(index, ("rewritten " + index).getBytes(StandardCharsets.UTF_8));
        leaves = next;
        return this;
    }

    /** Signs the true entries but serves entry {@code index} changed (a host that hides what it logged). */
    LogHost serveChanged(int index) {
        servedChanged = index;
        return this;
    }

    LogHost truncate(int size) {
        leaves = List.copyOf(leaves.subList(0, size));
        return this;
    }

    LogHost resign(NoteSigner other) {
        signer = other;
        return this;
    }

    String checkpoint() {
        LogTree tree = tree();
        return signer.sign(new Checkpoint(ORIGIN, tree.size(), tree.root(), List.of()).body());
    }

    private LogTree tree() {
        LogTree tree = new LogTree();
        leaves.forEach(tree::appendData);
        return tree;
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        byte[] body = null;
        Matcher m = ENTRIES.matcher(path);
        if (path.equals("/log/checkpoint")) {
            body = checkpoint().getBytes(StandardCharsets.UTF_8);
        } else if (path.equals("/log/key")) {
            body = (signer.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8);
        } else if (m.matches()) {
            TilePath tile = TilePath.parse(m.group(1));
            long first = tile.index() * TilePath.FULL;
            if (first + tile.width() <= leaves.size()) {
                List<byte[]> served = new ArrayList<>(leaves.subList((int) first, (int) first + tile.width()));
                int changed = (int) (servedChanged - first);
                if (changed >= 0 && changed < served.size()) served.set(changed, "hidden".getBytes(StandardCharsets.UTF_8));
                body = EntryBundle.encode(served);
            }
        } else if (path.equals("/v1/log/proof/consistency")) {
            Map<String, String> q = new LinkedHashMap<>();
            for (String kv : x.getRequestURI().getQuery().split("&")) q.put(kv.split("=")[0], kv.split("=")[1]);
            long from = Long.parseLong(q.get("from"));
            long to = Long.parseLong(q.get("to"));
            LogTree tree = tree();
            if (from >= 1 && from <= to && to <= tree.size()) {
                body = Json.bytes(Map.of("from", from, "to", to, "hashes",
                        tree.consistencyProof(from, to).stream().map(h -> Base64.getEncoder().encodeToString(h)).toList()));
            }
        }
        x.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
        if (body != null) x.getResponseBody().write(body);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
