package custos.audit.internal;

/** Hashes of complete (perfect) subtrees: the node at {@code level} covering leaves [index·2^level, (index+1)·2^level). */
public interface NodeSource {
    byte[] node(int level, long index);
}
