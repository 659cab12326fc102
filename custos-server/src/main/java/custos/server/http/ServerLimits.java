package custos.server.http;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What one client may hold of the server: how long a request's headers may take after its request line, how long its
 * body may take after its headers, how long a
 * connection may sit idle (between requests, or in an unfinished request line), how many connections are accepted at once, how long a request line and its headers may be, and how
 * large a body may be. Past the connection limit the listener stops accepting (new connections wait in the
 * kernel's backlog) instead of running out of file descriptors, which in Helidon closes the listener for good.
 * The values are in docs/operations.md ("Limits").
 */
public record ServerLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections, int maxPrologueBytes, int maxHeaderBytes,
                           long maxFormBytes, long maxApiBodyBytes) {
    /** File descriptors kept free of connections: the store pool, the embedded database's pipes, logs, jars. */
    static final int RESERVED_DESCRIPTORS = 512;

    public static final ServerLimits DEFAULTS = new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), 10_000, 8 * 1024, 16 * 1024,
            16 * 1024, 64 * 1024);

    public ServerLimits {
        if (!positive(headerTimeout) || !positive(bodyTimeout) || !positive(idleTimeout) || maxConnections < 1 || maxPrologueBytes < 64
                || maxHeaderBytes < 256 || maxFormBytes < 256 || maxApiBodyBytes < 256) {
            throw new IllegalArgumentException("server limits out of range: " + headerTimeout + ", " + bodyTimeout + ", " + idleTimeout + ", "
                    + maxConnections
                    + " connections, " + maxPrologueBytes + "/" + maxHeaderBytes + " header bytes, "
                    + maxFormBytes + "/" + maxApiBodyBytes + " body bytes");
        }
    }

    /** Both clocks at once: the header timeout and the idle timeout (tests use short ones). */
    public ServerLimits withTimeouts(Duration header, Duration idle) {
        return new ServerLimits(header, bodyTimeout, idle, maxConnections, maxPrologueBytes, maxHeaderBytes, maxFormBytes, maxApiBodyBytes);
    }

    /** How long a request's body may take to arrive in full once its headers have (tests use short ones). */
    public ServerLimits withBodyTimeout(Duration body) {
        return new ServerLimits(headerTimeout, body, idleTimeout, maxConnections, maxPrologueBytes, maxHeaderBytes, maxFormBytes,
                maxApiBodyBytes);
    }

    public ServerLimits withMaxConnections(int connections) {
        return new ServerLimits(headerTimeout, bodyTimeout, idleTimeout, connections, maxPrologueBytes, maxHeaderBytes, maxFormBytes,
                maxApiBodyBytes);
    }

    /** How often idle connections are looked for: a quarter of the idle timeout, between 50 ms and 5 s. */
    Duration idleCheckPeriod() {
        return Duration.ofMillis(Math.max(50, Math.min(5000, idleTimeout.toMillis() / 4)));
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    /** The largest body any route takes: the listener refuses anything larger, chunked or not. */
    long maxBodyBytes() {
        return Math.max(maxFormBytes, maxApiBodyBytes);
    }

    /** The body limit of a path: the partner API's JSON bodies, or the forms of every other route. */
    long maxBodyBytes(String path) {
        return path.startsWith("/v1/") ? maxApiBodyBytes : maxFormBytes;
    }

    /**
     * The connection limit actually applied: never so close to the process's descriptor limit that accepting one more
     * connection could fail with "too many open files".
     */
    int effectiveMaxConnections() {
        long descriptors = descriptorLimit();
        if (descriptors <= 0) {
            return maxConnections;
        }
        return (int) Math.max(1, Math.min(maxConnections, descriptors - RESERVED_DESCRIPTORS));
    }

    private static long descriptorLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
