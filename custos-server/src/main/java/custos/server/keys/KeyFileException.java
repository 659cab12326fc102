package custos.server.keys;

/** A key file that is missing, unreadable or not the kind of key it should be; the message is the one line an operator reads. */
public final class KeyFileException extends RuntimeException {
    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
