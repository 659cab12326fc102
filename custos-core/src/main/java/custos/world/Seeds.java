package custos.world;

import java.util.SplittableRandom;

/** Derives an independent random stream per (world seed, section, record) so sections can be regenerated alone. */
final class Seeds {
    private Seeds() {}

    static SplittableRandom rng(long seed, int section, long index) {
        return new SplittableRandom(mix(mix(seed ^ (0x9E3779B97F4A7C15L * (section + 1))) + index));
    }

    // Stafford's variant 13 of the MurmurHash3 finaliser: adjacent inputs give unrelated outputs.
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
