package custos.policy;

import custos.policy.internal.ReasonSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's answer for the other people on one page ({@link DecisionEngine#coSubjects}): for each position of the
 * people it was given, released or withheld and why, plus how many were withheld and the union of their reasons.
 * Reasons are kept as bits per position, so a page costs one {@code int[]} whatever its length.
 */
public final class CoSubjects {
    private final int[] bits;
    private final int withheld;
    private final int union;

    CoSubjects(int[] bits, int withheld, int union) {
        this.bits = bits;
        this.withheld = withheld;
        this.union = union;
    }

    /** How many positions were decided (the length of the people given). */
    public int size() {
        return bits.length;
    }

    /** Whether the data of the person at position {@code i} may be released. */
    public boolean released(int i) {
        return bits[i] == 0;
    }

    /** Why the person at position {@code i} was withheld; empty when released. */
    public Set<Reason> reasons(int i) {
        return ReasonSet.ofBits(bits[i]);
    }

    /** How many positions were withheld (a person named twice counts twice). */
    public int withheldCount() {
        return withheld;
    }

    /** Every reason any position was withheld for; empty when nothing was. */
    public Set<Reason> withheldReasons() {
        return ReasonSet.ofBits(union);
    }

    /** {@link #withheldReasons()} as codes in declaration order, as the API prints them. */
    public List<String> withheldReasonCodes() {
        return withheldReasons().stream().map(Enum::name).toList();
    }
}
