package custos.audit;

/**
 * The audit log as the gateway writes it. {@link #append} returns only once the event is durable (its commit has
 * returned), so a caller that sends data after it can never have released data whose event could be lost.
 */
public interface AccessLog {

    /** Appends the event durably and returns its position in the log. Blocks until durable. */
    LogReceipt append(AccessEvent event);
}
