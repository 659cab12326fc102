package custos.policy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The view's people by id. Ids are mostly a dense sequence from a database, so those below a bound live in arrays
 * indexed by id: one of the {@link PersonPolicy} objects and, beside it, one of their packed tables, so the engine
 * goes from the slot (4 bytes a person, small enough to stay in cache) straight to the table without reading the
 * object. Other ids go to open addressing over the objects themselves (they carry their id), kept at most a quarter
 * full so a probe rarely reads a second person.
 *
 * <p>Rule for callers, as for {@link LongObjectMap}: one writer, any number of lock-free readers. A person is
 * published with release semantics (its table first, then the object), grown arrays as a whole through a volatile
 * field, filled before they are published; people are never removed.
 */
public final class PersonTable {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(PersonPolicy[].class);
    private static final VarHandle TABLES = MethodHandles.arrayElementVarHandle(long[][].class);
    /** The dense array grows to cover an id only while it stays within this many slots per person stored. */
    private static final int SLOTS_PER_PERSON = 4;
    private static final int MAX_DENSE = 1 << 30;

    private volatile PersonPolicy[] dense;
    // Always as long as dense, and grown before it: a reader that sees an id inside dense finds it inside this too.
    private volatile long[][] denseTables;
    private volatile PersonPolicy[] sparse;
    private int people;
    private int sparseUsed;

    public PersonTable(int expected) {
        int length = Math.max(16, Math.min(expected + 1, MAX_DENSE));
        denseTables = new long[length][];
        dense = new PersonPolicy[length];
        sparse = new PersonPolicy[16];
    }

    private static int slot(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The person with {@code id}, or null. */
    public PersonPolicy get(long id) {
        PersonPolicy[] d = dense;
        if (id >= 0 && id < d.length) {
            return (PersonPolicy) SLOTS.getAcquire(d, (int) id);
        }
        PersonPolicy[] t = sparse;
        int mask = t.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            PersonPolicy p = (PersonPolicy) SLOTS.getAcquire(t, i);
            if (p == null || p.id() == id) {
                return p;
            }
        }
    }

    /** The packed table of the person with {@code id}, or null. */
    public long[] table(long id) {
        long[][] d = denseTables;
        if (id >= 0 && id < d.length) {
            return (long[]) TABLES.getAcquire(d, (int) id);
        }
        PersonPolicy p = get(id);
        return p == null ? null : p.table();
    }

    /** Adds or replaces the person with {@code person.id()}. Writers only, one at a time. */
    public void put(PersonPolicy person) {
        long id = person.id();
        PersonPolicy[] d = dense;
        if (id >= d.length && id < MAX_DENSE && id < (long) SLOTS_PER_PERSON * (people + 1)) {
            d = growDense(d, (int) id);
        }
        if (id >= 0 && id < d.length) {
            if (d[(int) id] == null) {
                people++;
            }
            TABLES.setRelease(denseTables, (int) id, person.table());
            SLOTS.setRelease(d, (int) id, person);
            return;
        }
        putSparse(person);
    }

    private void putSparse(PersonPolicy person) {
        PersonPolicy[] t = sparse;
        if ((sparseUsed + 1) * 4 > t.length) {
            t = growSparse(t);
        }
        int mask = t.length - 1;
        for (int i = slot(person.id(), mask); ; i = (i + 1) & mask) {
            PersonPolicy p = t[i];
            if (p == null || p.id() == person.id()) {
                if (p == null) {
                    sparseUsed++;
                    people++;
                }
                SLOTS.setRelease(t, i, person);
                return;
            }
        }
    }

    /** A dense array covering {@code id}, with the sparse people it now covers copied in before it is published. */
    private PersonPolicy[] growDense(PersonPolicy[] old, int id) {
        int length = (int) Math.min(MAX_DENSE, Math.max((long) old.length * 2, (long) id + 1));
        PersonPolicy[] d = java.util.Arrays.copyOf(old, length);
        long[][] tables = java.util.Arrays.copyOf(denseTables, length);
        for (PersonPolicy p : sparse) {
            if (p != null && p.id() >= old.length && p.id() < length) {
                d[(int) p.id()] = p;
                tables[(int) p.id()] = p.table();
            }
        }
        denseTables = tables;
        dense = d;
        return d;
    }

    private PersonPolicy[] growSparse(PersonPolicy[] old) {
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
        sparse = t;
        return t;
    }
}
