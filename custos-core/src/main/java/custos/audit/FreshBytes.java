package custos.audit;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Random bytes drawn ahead from a DRBG and handed out once each, zeroed once handed out. Starts small and doubles up
 * to 4 KiB, so a holder that draws once (a virtual thread) draws little and a busy one calls the DRBG once per many
 * uses. Not thread-safe: each holder keeps its own (a thread's, or one under a lock).
 */
final class FreshBytes {
    private static final int MAX = 4096;
    private byte[] bytes = new byte[0];
    private int used;

    /**
     * A DRBG rather than the platform default: NativePRNG reads /dev/urandom under a lock on every call, which showed
     * in profiles of the audit writers and the appending threads; the DRBG is seeded from the OS once and reseeds itself.
     */
    static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    byte[] take(SecureRandom random, int n) {
        if (bytes.length - used < n) {
            bytes = new byte[Math.min(MAX, Math.max(64, bytes.length * 2))];
            random.nextBytes(bytes);
            used = 0;
        }
        byte[] out = Arrays.copyOfRange(bytes, used, used + n);
        Arrays.fill(bytes, used, used + n, (byte) 0); // handed out: not kept in memory
        used += n;
        return out;
    }
}
