package custos.audit;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) ids for log entries, drawn from the JDK's DRBG a few kilobytes at a time ({@link FreshBytes}).
 * {@link UUID#randomUUID()} reads {@code /dev/urandom} through NativePRNG under one lock on every call, and in the
 * audit benchmark half of the appending threads' samples were there (a system call is dear on a VM). A few stripes,
 * each a DRBG with its own drawn-ahead bytes under its own lock, keep thousands of virtual threads from queueing on one.
 */
public final class EventIds {
    private static final int STRIPES = 8;
    private static final Stripe[] STRIPE = new Stripe[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) STRIPE[i] = new Stripe();
    }

    private EventIds() {}

    /** A fresh random id: 122 random bits with the version 4 and RFC 9562 variant bits set. */
    public static UUID next() {
        long[] words = STRIPE[ThreadLocalRandom.current().nextInt(STRIPES)].take();
        long msb = words[0] & ~0xF000L | 0x4000L;
        long lsb = words[1] & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** One DRBG and its drawn-ahead bytes, taken under the stripe's lock. */
    private static final class Stripe {
        private final SecureRandom random = FreshBytes.drbg();
        private final FreshBytes fresh = new FreshBytes();

        long[] take() {
            byte[] b;
            synchronized (this) {
                b = fresh.take(random, 16);
            }
            return new long[] {word(b, 0), word(b, 8)};
        }

        private static long word(byte[] b, int at) {
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | b[at + i] & 0xFF;
            return v;
        }
    }
}
