package custos.server.console;

/**
 * An operator action that was refused before anything changed: bad input, nothing by that name, or a clash with what
 * is there (a slug already taken, a purpose already retired). The message is the one line the operator reads.
 */
public final class ActionRefused extends IllegalArgumentException {
    /** Why, so each door can answer in its own terms (HTTP status and problem type, exit code). */
    public enum Why { INVALID, NOT_FOUND, CONFLICT }

    private final Why why;

    public ActionRefused(Why why, String message) {
        super(message);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
