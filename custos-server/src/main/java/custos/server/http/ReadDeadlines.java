package custos.server.http;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request headers do not arrive in full within the header timeout after its request line,
 * or whose body does not arrive in full within the body timeout after its headers. Helidon 4.2 closes a connection
 * stuck in the request line (its idle check) but sets no read timeout on server sockets, so a client that sends a
 * request line and part of a header, or headers and part of a body, would hold a connection, a thread and a file
 * descriptor forever. Each clock starts once, so trickling one byte at a time does not extend it; the body clock
 * stops when the route has read the body to its end (or closed it), so the work after it is not the client's time.
 */
final class ReadDeadlines implements Http1ConnectionListener, AutoCloseable {
    private final long headerNanos;
    private final long bodyNanos;
    private final Map<HelidonSocket, Long> reading = new ConcurrentHashMap<>();
    /** The socket whose body the connection's thread is about to read: listeners and routes run on that one thread. */
    private final ThreadLocal<HelidonSocket> bodyPending = new ThreadLocal<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "custos-read-deadlines");
        t.setDaemon(true);
        return t;
    });

    ReadDeadlines(Duration headerTimeout, Duration bodyTimeout) {
        this.headerNanos = headerTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        long shortest = Math.min(headerTimeout.toMillis(), bodyTimeout.toMillis());
        long period = Math.max(50, Math.min(1000, shortest / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        bodyPending.remove();
        reading.put(ctx.serverSocket(), System.nanoTime() + headerNanos);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        HelidonSocket socket = ctx.serverSocket();
        if (declaresBody(headers)) {
            reading.put(socket, System.nanoTime() + bodyNanos);
            bodyPending.set(socket);
        } else {
            reading.remove(socket);
        }
    }

    /**
     * Stops the body clock of this request once its route has read the body to the end or closed it. Called by the
     * routing filter, on the connection's thread, before the route runs.
     */
    void stopAtEndOfBody(ServerRequest req) {
        HelidonSocket socket = bodyPending.get();
        bodyPending.remove();
        Long deadline = socket == null ? null : reading.get(socket);
        if (deadline != null) {
            req.streamFilter(in -> new EndOfBody(in, () -> reading.remove(socket, deadline)));
        }
    }

    private static boolean declaresBody(Headers headers) {
        if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        return headers.contains(HeaderNames.CONTENT_LENGTH) && !headers.get(HeaderNames.CONTENT_LENGTH).get().strip().equals("0");
    }

    private void sweep() {
        long now = System.nanoTime();
        reading.forEach((socket, deadline) -> {
            if (now - deadline > 0 && reading.remove(socket, deadline)) {
                try {
                    socket.close();
                } catch (RuntimeException alreadyGone) {
                    // the client went away first; nothing is left to close
                }
            }
        });
        reading.keySet().removeIf(s -> !s.isConnected());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** A body stream that says once when it has been read to its end or closed. */
    private static final class EndOfBody extends FilterInputStream {
        private final Runnable onEnd;

        EndOfBody(InputStream in, Runnable onEnd) {
            super(in);
            this.onEnd = onEnd;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b == -1) {
                onEnd.run();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n == -1) {
                onEnd.run();
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            onEnd.run();
            super.close();
        }
    }
}
