package custos.audit.inputs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which entries a sampled bundle must show, chosen from a public seed the operator cannot steer: the seed is
 * SHA-256("custos-audit-sample/1" || the root of a checkpoint the auditor names), and the i-th draw is the
 * position {@code uint64(SHA-256(seed || uint64(i))[0..8]) mod population}, repeats skipped, until {@code n}
 * positions are drawn or the population is exhausted (docs/bundle-format.md). Positions index the population,
 * the ascending log indexes of the partner's access entries in the period.
 */
public final class SampleIndexes {
    private static final byte[] DOMAIN = "custos-audit-sample/1".getBytes(StandardCharsets.US_ASCII);

    private SampleIndexes() {}

    public static byte[] seed(byte[] checkpointRoot) {
        MessageDigest sha = sha256();
        sha.update(DOMAIN);
        return sha.digest(checkpointRoot);
    }

    /** The log indexes drawn from {@code population} (ascending log indexes), in ascending order. */
    public static List<Long> draw(byte[] seed, List<Long> population, int n) {
        Set<Integer> positions = new LinkedHashSet<>();
        int want = Math.min(n, population.size());
        for (long i = 0; positions.size() < want; i++) {
            MessageDigest sha = sha256();
            sha.update(seed);
            byte[] h = sha.digest(ByteBuffer.allocate(8).putLong(i).array());
            long v = ByteBuffer.wrap(h, 0, 8).getLong();
            positions.add((int) Long.remainderUnsigned(v, population.size()));
        }
        List<Long> out = new ArrayList<>(positions.size());
        for (int p : positions) out.add(population.get(p));
        out.sort(null);
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
