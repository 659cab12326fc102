package custos.audit;

/** Where an appended event sits in the log: its leaf index. Proofs are fetched by this index. */
public record LogReceipt(long index) {}
