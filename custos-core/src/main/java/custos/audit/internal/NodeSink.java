package custos.audit.internal;

/** Receives every complete subtree hash as integration creates it. */
@FunctionalInterface
public interface NodeSink {
    void node(int level, long index, byte[] hash);
}
