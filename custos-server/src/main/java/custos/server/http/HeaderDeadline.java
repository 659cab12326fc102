package custos.server.http;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request headers do not arrive in full within the header timeout after its request line.
 * Helidon 4.2 closes a connection stuck in the request line (its idle check) but sets no read timeout on server
 * sockets, so a client that sends a request line and part of a header would hold a connection, a thread and a file
 * descriptor forever. The clock starts at the request line, so trickling one byte at a time does not extend it.
 */
final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
    private final long timeoutNanos;
    private final Map<HelidonSocket, Long> reading = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "custos-header-deadline");
        t.setDaemon(true);
        return t;
    });

    HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        reading.put(ctx.serverSocket(), System.nanoTime() + timeoutNanos);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        reading.remove(ctx.serverSocket());
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
}
