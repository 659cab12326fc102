package custos.server.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import custos.audit.witness.Witness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The witness over HTTP (c2sp.org/tlog-witness): {@code POST /add-checkpoint} and the monitoring endpoint
 * {@code GET /<origin hash>/checkpoint}, on the JDK's HTTP server. Request bodies are capped: a checkpoint with 63
 * proof lines and many signatures fits in a few KiB.
 */
public final class WitnessServer implements AutoCloseable {
    /** Largest accepted request body. */
    static final int MAX_BODY = 64 * 1024;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private WitnessServer(HttpServer server) {
        this.server = server;
    }

    public static WitnessServer start(Witness witness, String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        WitnessServer ws = new WitnessServer(server);
        server.createContext("/", exchange -> {
            try (exchange) {
                ws.handle(witness, exchange);
            } catch (RuntimeException e) {
                // e.g. an unreadable state file: say so rather than drop the connection; nothing was cosigned
                send(exchange, new Witness.Response(500, "text/plain; charset=utf-8", "witness failure: " + e.getMessage() + "\n"));
            }
        });
        server.setExecutor(ws.executor);
        server.start();
        return ws;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(Witness witness, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/add-checkpoint")) {
            if (!method.equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, new Witness.Response(405, "text/plain; charset=utf-8", "add-checkpoint takes a POST\n"));
                return;
            }
            String body = body(exchange);
            send(exchange, body == null ? new Witness.Response(400, "text/plain; charset=utf-8",
                    "the body is not UTF-8 text of at most " + MAX_BODY + " bytes\n") : witness.add(body));
            return;
        }
        if (method.equals("GET") && path.matches("/[0-9a-f]{64}/checkpoint")) {
            send(exchange, witness.checkpoint(path.substring(1, 65))
                    .map(note -> new Witness.Response(200, "text/plain; charset=utf-8", note))
                    .orElse(new Witness.Response(404, "text/plain; charset=utf-8", "no checkpoint cosigned for that log\n")));
            return;
        }
        send(exchange, new Witness.Response(404, "text/plain; charset=utf-8", "not found\n"));
    }

    /** The body as UTF-8, or null when it is too large or not UTF-8. */
    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) return null;
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void send(HttpExchange exchange, Witness.Response response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
