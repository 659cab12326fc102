package custos.audit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Every complete node hash of a tree, per level, in fixed-size chunks so a tree of hundreds of millions of leaves
 * needs no single huge array. Appends come from one integrating thread; reads may come from any thread up to the
 * size that was published after the append.
 */
public final class MemoryNodes implements NodeSource, NodeSink {
    private static final int CHUNK_SHIFT = 16;
    private static final int CHUNK = 1 << CHUNK_SHIFT;
    private final List<List<byte[]>> levels = new ArrayList<>();

    @Override
    public synchronized void node(int level, long index, byte[] hash) {
        while (levels.size() <= level) levels.add(new ArrayList<>());
        List<byte[]> chunks = levels.get(level);
        int chunk = (int) (index >>> CHUNK_SHIFT);
        while (chunks.size() <= chunk) chunks.add(new byte[CHUNK * TreeHasher.SIZE]);
        System.arraycopy(hash, 0, chunks.get(chunk), (int) (index & (CHUNK - 1)) * TreeHasher.SIZE, TreeHasher.SIZE);
    }

    @Override
    public byte[] node(int level, long index) {
        byte[] chunk;
        synchronized (this) {
            chunk = levels.get(level).get((int) (index >>> CHUNK_SHIFT));
        }
        byte[] out = new byte[TreeHasher.SIZE];
        System.arraycopy(chunk, (int) (index & (CHUNK - 1)) * TreeHasher.SIZE, out, 0, TreeHasher.SIZE);
        return out;
    }
}
