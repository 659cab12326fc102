package custos.server.audit;

/**
 * The stored log is not the log this server signed (a gap, a changed entry, a rollback, a fork): nothing may be
 * signed or appended on it. The message is the one line an operator reads: which check failed, at which entry.
 */
public final class LogIntegrityException extends RuntimeException {
    private final String check;

    public LogIntegrityException(String check, String detail) {
        super("the audit log failed its integrity check (" + check + "): " + detail
                + "; nothing is signed or appended until the log is restored (docs/operations.md, \"The audit log's integrity\")",
                null, false, false);
        this.check = check;
    }

    /** The check that failed: dense indexes, leaf hash, head row, signed checkpoint, signed root, consistency. */
    public String check() {
        return check;
    }
}
