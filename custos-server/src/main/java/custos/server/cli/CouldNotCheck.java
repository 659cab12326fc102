package custos.server.cli;

/**
 * A check that could not be made (an unreachable server, a bad URL or key, a missing or unreadable input file): exit
 * code 2, never the verdict "the log is bad" (exit 1), so a script can tell an outage or a typo from a tampered log.
 */
final class CouldNotCheck extends RuntimeException {
    static final int EXIT = 2;

    CouldNotCheck(String message) {
        super(message);
    }

    CouldNotCheck(String message, Throwable cause) {
        super(message, cause);
    }
}
