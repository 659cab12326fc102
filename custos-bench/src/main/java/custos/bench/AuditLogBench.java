package custos.bench;

import custos.audit.InvalidProofException;
import custos.audit.LogTree;
import custos.audit.ProofVerifier;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Merkle log in memory: integrating leaves into the RFC 6962 tree, and inclusion and consistency proofs on a tree
 * of {@code treeSize} leaves (100 million by default: about 3.2 GB of tiles in memory, hence the heap).
 */
@Fork(value = 1, jvmArgs = {"-Xms12g", "-Xmx12g"})
public class AuditLogBench {
    static final int BATCH = 1 << 20;

    /** A million random leaf hashes, integrated into a fresh tree per invocation. */
    @State(Scope.Thread)
    public static class Integration {
        byte[][] leaves;
        LogTree tree;

        @Setup(Level.Trial)
        public void leaves() {
            leaves = randomHashes(BATCH, 1);
        }

        @Setup(Level.Invocation)
        public void freshTree() {
            tree = new LogTree();
        }
    }

    /** A tree of {@code treeSize} leaves, built once; proofs are asked for random indexes and sizes within it. */
    @State(Scope.Benchmark)
    public static class BigTree {
        @Param("100000000")
        public long treeSize;

        LogTree tree;
        byte[] root;
        long[] indexes;
        int next;

        @Setup(Level.Trial)
        public void build() {
            tree = new LogTree();
            SplittableRandom random = new SplittableRandom(2);
            byte[] leaf = new byte[32];
            for (long i = 0; i < treeSize; i++) {
                random.nextBytes(leaf);
                tree.appendLeafHash(leaf.clone());
            }
            root = tree.root(treeSize);
            indexes = new long[1 << 16];
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = random.nextLong(treeSize);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long integrateLeaves(Integration state) {
        for (byte[] leaf : state.leaves) {
            state.tree.appendLeafHash(leaf);
        }
        return state.tree.size();
    }

    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<byte[]> inclusionProof(BigTree state) {
        long index = state.indexes[state.next++ & (state.indexes.length - 1)];
        return state.tree.inclusionProof(index, state.treeSize);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<byte[]> consistencyProof(BigTree state) {
        long from = 1 + state.indexes[state.next++ & (state.indexes.length - 1)];
        return state.tree.consistencyProof(from, state.treeSize);
    }

    /** Generation and verification together, as a person checking a receipt against the latest checkpoint would. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<byte[]> inclusionProofVerified(BigTree state) throws InvalidProofException {
        long index = state.indexes[state.next++ & (state.indexes.length - 1)];
        List<byte[]> proof = state.tree.inclusionProof(index, state.treeSize);
        ProofVerifier.verifyInclusion(state.tree.leafHash(index), index, state.treeSize, proof, state.root);
        return proof;
    }

    static byte[][] randomHashes(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] hashes = new byte[count][32];
        for (byte[] h : hashes) {
            random.nextBytes(h);
        }
        return hashes;
    }
}
