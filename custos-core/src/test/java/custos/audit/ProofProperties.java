package custos.audit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Proofs taken from random trees verify, and every tampered variant of them fails. */
class ProofProperties {

    static LogTree tree(int size) {
        LogTree tree = new LogTree();
        for (int i = 0; i < size; i++) tree.appendData(("entry " + i).getBytes());
        return tree;
    }

    @Property(tries = 300)
    void inclusionProofsVerifyAndAnyTamperingFails(@ForAll @IntRange(min = 1, max = 600) int size,
                                                   @ForAll @IntRange(min = 0, max = 599) int rawIndex,
                                                   @ForAll @IntRange(min = 0, max = 10_000) int flip) throws Exception {
        int index = rawIndex % size;
        LogTree tree = tree(size);
        byte[] root = tree.root();
        byte[] leaf = tree.leafHash(index);
        List<byte[]> proof = tree.inclusionProof(index, size);
        ProofVerifier.verifyInclusion(leaf, index, size, proof, root);

        if (!proof.isEmpty()) {
            List<byte[]> flipped = copy(proof);
            int hash = flip % proof.size();
            flipped.get(hash)[flip % 32] ^= (byte) (1 << (flip % 8));
            assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, index, size, flipped, root)).isInstanceOf(InvalidProofException.class);
            List<byte[]> truncated = copy(proof).subList(0, proof.size() - 1);
            assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, index, size, truncated, root)).isInstanceOf(InvalidProofException.class);
        }
        List<byte[]> extended = copy(proof);
        extended.add(root.clone());
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, index, size, extended, root)).isInstanceOf(InvalidProofException.class);
        byte[] otherLeaf = leaf.clone();
        otherLeaf[flip % 32] ^= 1;
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(otherLeaf, index, size, proof, root)).isInstanceOf(InvalidProofException.class);
    }

    @Property(tries = 300)
    void consistencyProofsVerifyAndAnyTamperingFails(@ForAll @IntRange(min = 1, max = 600) int to,
                                                     @ForAll @IntRange(min = 1, max = 600) int rawFrom,
                                                     @ForAll @IntRange(min = 0, max = 10_000) int flip) throws Exception {
        int from = 1 + (rawFrom - 1) % to;
        LogTree tree = tree(to);
        byte[] fromRoot = tree.root(from);
        byte[] toRoot = tree.root(to);
        List<byte[]> proof = tree.consistencyProof(from, to);
        ProofVerifier.verifyConsistency(from, to, proof, fromRoot, toRoot);
        Assume.that(from < to);

        List<byte[]> flipped = copy(proof);
        flipped.get(flip % proof.size())[flip % 32] ^= (byte) (1 << (flip % 8));
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, flipped, fromRoot, toRoot)).isInstanceOf(InvalidProofException.class);
        List<byte[]> truncated = copy(proof).subList(0, proof.size() - 1);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, truncated, fromRoot, toRoot)).isInstanceOf(InvalidProofException.class);
        List<byte[]> extended = copy(proof);
        extended.add(toRoot.clone());
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, extended, fromRoot, toRoot)).isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, proof, toRoot, fromRoot)).isInstanceOf(InvalidProofException.class);
    }

    /**
     * A fork: the earlier checkpoint's root is of another history, every other field is right. For an earlier size
     * that is not a power of two the earlier root enters the check only through the final comparison of fr.
     */
    @Property(tries = 300)
    void aConsistencyProofWithAWrongEarlierRootIsRejected(@ForAll @IntRange(min = 2, max = 600) int to,
                                                          @ForAll @IntRange(min = 1, max = 599) int rawFrom,
                                                          @ForAll @IntRange(min = 0, max = 599) int rawForked) {
        int from = 1 + (rawFrom - 1) % (to - 1);
        int forked = rawForked % from;
        LogTree tree = tree(to);
        LogTree fork = new LogTree();
        for (int i = 0; i < from; i++) fork.appendData(((i == forked ? "forked " : "entry ") + i).getBytes());
        byte[] forkedRoot = fork.root();
        List<byte[]> proof = tree.consistencyProof(from, to);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, proof, forkedRoot, tree.root(to)))
                .isInstanceOf(InvalidProofException.class);
    }

    @Property(tries = 100)
    void rootAtAnyEarlierSizeEqualsTheTreeBuiltToThatSize(@ForAll @IntRange(min = 0, max = 700) int size,
                                                         @ForAll @IntRange(min = 0, max = 700) int rawEarlier) {
        int earlier = size == 0 ? 0 : rawEarlier % (size + 1);
        org.assertj.core.api.Assertions.assertThat(tree(size).root(earlier)).isEqualTo(tree(earlier).root());
    }

    static List<byte[]> copy(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] b : proof) out.add(b.clone());
        return out;
    }
}
