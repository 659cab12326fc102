package custos.server.logs;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * A failure that repeats (a store that stays down under a loop that retries every 50 ms) written as a few lines, not
 * thousands: the first time with its stack trace, then at most one line per interval saying how many times it failed
 * since, and one line when it stops failing. Callers keep one per loop and call it from that loop's thread.
 */
public final class RepeatedFailure {
    private final Logger log;
    private final String what;
    private final long intervalNanos;
    private long failures;
    private long firstAt;
    private long lastLineAt;
    private long sinceLastLine;

    public RepeatedFailure(Logger log, String what, Duration interval) {
        this.log = log;
        this.what = what;
        this.intervalNanos = interval.toNanos();
    }

    public RepeatedFailure(Logger log, String what) {
        this(log, what, Duration.ofMinutes(1));
    }

    /** One more failure; written only if it is the first, or the interval since the last line has passed. */
    public void failed(Throwable e) {
        long now = System.nanoTime();
        failures++;
        sinceLastLine++;
        if (failures == 1) {
            firstAt = now;
            lastLineAt = now;
            sinceLastLine = 0;
            log.warn("{}: {}", what, e.toString(), e);
        } else if (now - lastLineAt >= intervalNanos) {
            log.warn("{}: still failing, {} more times in the last {} s: {}", what, sinceLastLine,
                    Duration.ofNanos(now - lastLineAt).toSeconds(), e.toString());
            lastLineAt = now;
            sinceLastLine = 0;
        }
    }

    /** The operation worked; says so once if it had been failing. */
    public void succeeded() {
        if (failures > 0) {
            log.warn("{}: works again after {} failures over {} s", what, failures,
                    Duration.ofNanos(System.nanoTime() - firstAt).toSeconds());
            failures = 0;
            sinceLastLine = 0;
        }
    }

    /** How many times it has failed in a row (0: it works). */
    public long failures() {
        return failures;
    }
}
