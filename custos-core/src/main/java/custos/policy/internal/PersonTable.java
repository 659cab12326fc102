package custos.policy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The view's people by id: open addressing over the {@link PersonPolicy} objects themselves, which carry their id,
 * so a lookup reads the slot and the person (two cache lines) instead of a key array, a value array and the person.
 * Kept at most a quarter full, so a probe rarely has to look at a second person.
 *
 * <p>Rule for callers, as for {@link LongObjectMap}: one writer, any number of lock-free readers. A person is
 * published with release semantics, a grown table as a whole through a volatile field; people are never removed.
 */
public final class PersonTable {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(PersonPolicy[].class);

    private volatile PersonPolicy[] table;
    private int used;

    public PersonTable(int expected) {
        table = new PersonPolicy[capacityFor(Math.max(expected, 16))];
    }

    private static int capacityFor(int n) {
        return Integer.highestOneBit(n * 4 - 1) << 1;
    }

    private static int slot(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The person with {@code id}, or null. */
    public PersonPolicy get(long id) {
        PersonPolicy[] t = table;
        int mask = t.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            PersonPolicy p = (PersonPolicy) SLOTS.getAcquire(t, i);
            if (p == null || p.id() == id) {
                return p;
            }
        }
    }

    /** Adds or replaces the person with {@code person.id()}. Writers only, one at a time. */
    public void put(PersonPolicy person) {
        PersonPolicy[] t = table;
        if ((used + 1) * 4 > t.length) {
            t = grow(t);
        }
        int mask = t.length - 1;
        for (int i = slot(person.id(), mask); ; i = (i + 1) & mask) {
            PersonPolicy p = t[i];
            if (p == null || p.id() == person.id()) {
                if (p == null) {
                    used++;
                }
                SLOTS.setRelease(t, i, person);
                return;
            }
        }
    }

    private PersonPolicy[] grow(PersonPolicy[] old) {
        PersonPolicy[] t = new PersonPolicy[old.length * 2];
        int mask = t.length - 1;
        for (PersonPolicy p : old) {
            if (p != null) {
                int i = slot(p.id(), mask);
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = p;
            }
        }
        table = t;
        return t;
    }
}
