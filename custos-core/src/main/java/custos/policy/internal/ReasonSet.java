package custos.policy.internal;

import custos.policy.Reason;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** An immutable set of reasons held as one bit per {@link Reason} ordinal, iterated in declaration order. */
public final class ReasonSet extends AbstractSet<Reason> {
    /** The reasons of every ALLOW: shared, so an allowed decision allocates no set. */
    public static final ReasonSet EMPTY = new ReasonSet(0);

    private static final Reason[] ALL = Reason.values();

    static {
        if (ALL.length > Integer.SIZE) {
            throw new ExceptionInInitializerError("more reasons than bits in an int: " + ALL.length);
        }
    }

    private final int bits;

    private ReasonSet(int bits) {
        this.bits = bits;
    }

    /** The set whose members are the reasons with bit {@code 1 << ordinal} set in {@code bits}. */
    public static ReasonSet ofBits(int bits) {
        return bits == 0 ? EMPTY : new ReasonSet(bits);
    }

    /** {@code reasons} itself when it already is a reason set, else an immutable copy. */
    public static ReasonSet copyOf(Collection<Reason> reasons) {
        if (reasons instanceof ReasonSet r) {
            return r;
        }
        int bits = 0;
        for (Reason r : reasons) {
            bits |= bit(r);
        }
        return ofBits(bits);
    }

    public static int bit(Reason reason) {
        return 1 << reason.ordinal();
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof Reason r && (bits & bit(r)) != 0;
    }

    @Override
    public int size() {
        return Integer.bitCount(bits);
    }

    @Override
    public boolean isEmpty() {
        return bits == 0;
    }

    @Override
    public Iterator<Reason> iterator() {
        return new Iterator<>() {
            private int left = bits;

            @Override
            public boolean hasNext() {
                return left != 0;
            }

            @Override
            public Reason next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                int ordinal = Integer.numberOfTrailingZeros(left);
                left &= left - 1;
                return ALL[ordinal];
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReasonSet r ? r.bits == bits : super.equals(o);
    }

    @Override
    public int hashCode() {
        // AbstractSet's contract (sum of element hashes) so it equals any other Set<Reason> with the same members.
        return super.hashCode();
    }
}
