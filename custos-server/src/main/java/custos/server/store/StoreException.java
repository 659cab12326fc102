package custos.server.store;

/** A store failure an operator can act on; its message is the one line the command prints. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
