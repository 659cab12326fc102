package custos.server.cli;

/** Turns an exception chain into the single line an operator reads: the deepest useful message. */
final class OneLine {
    private OneLine() {}

    static String of(Throwable t) {
        String message = t.getMessage();
        Throwable cause = t.getCause();
        while (cause != null && cause != t) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = message == null ? cause.getMessage() : message;
            }
            t = cause;
            cause = cause.getCause();
        }
        String line = message == null ? t.getClass().getSimpleName() : message;
        return line.replace('\n', ' ').strip();
    }
}
