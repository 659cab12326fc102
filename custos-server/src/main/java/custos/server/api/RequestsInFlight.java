package custos.server.api;

import io.helidon.webserver.http.Handler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Counts the partner data requests being served: a gauge for operators, and the audit writer's sign of load (it
 * waits for fuller batches only while many requests are on their way to the log).
 */
public final class RequestsInFlight implements IntSupplier {
    private final AtomicInteger count = new AtomicInteger();

    /** The handler, counted while it runs. */
    public Handler counted(Handler handler) {
        return (req, res) -> {
            count.incrementAndGet();
            try {
                handler.handle(req, res);
            } finally {
                count.decrementAndGet();
            }
        };
    }

    @Override
    public int getAsInt() {
        return count.get();
    }
}
