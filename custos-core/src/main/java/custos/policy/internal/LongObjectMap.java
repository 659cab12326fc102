package custos.policy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;

/**
 * An open-addressing map from {@code long} keys to values, for the policy view's millions of entries without
 * boxing a key per lookup.
 *
 * <p>Rule for callers: one writer, any number of readers. Readers never lock and never see a half-written entry:
 * a value is published with release semantics before its key, and a grown table is published as a whole through
 * a volatile field. Writers must be serialised by the caller (the policy view writes under its own lock).
 * Keys are never removed; a removed entry keeps its key with a null value.
 */
public final class LongObjectMap<V> {
    private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final long EMPTY = Long.MIN_VALUE;

    private record Table(long[] keys, Object[] values) {
        int mask() {
            return keys.length - 1;
        }
    }

    private volatile Table table;
    private int used;

    public LongObjectMap(int expected) {
        table = newTable(capacityFor(Math.max(expected, 16)));
    }

    private static int capacityFor(int n) {
        return Integer.highestOneBit(Math.max(16, n * 2 - 1)) << 1;
    }

    private static Table newTable(int capacity) {
        long[] keys = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        return new Table(keys, new Object[capacity]);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        Table t = table;
        int mask = t.mask();
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = (long) KEYS.getAcquire(t.keys, i);
            if (k == key) {
                return (V) VALUES.getAcquire(t.values, i);
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    /** Sets the value of {@code key} (null removes it). Writers only, one at a time. */
    public void put(long key, V value) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("key " + key + " is reserved");
        }
        Table t = table;
        if ((used + 1) * 2 > t.keys.length) {
            t = grow(t);
        }
        int mask = t.mask();
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = t.keys[i];
            if (k == key) {
                VALUES.setRelease(t.values, i, value);
                return;
            }
            if (k == EMPTY) {
                VALUES.setRelease(t.values, i, value);
                KEYS.setRelease(t.keys, i, key);
                used++;
                return;
            }
        }
    }

    private Table grow(Table old) {
        Table t = newTable(old.keys.length * 2);
        int mask = t.mask();
        for (int j = 0; j < old.keys.length; j++) {
            long k = old.keys[j];
            if (k != EMPTY) {
                int i = slot(k, mask);
                while (t.keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                t.keys[i] = k;
                t.values[i] = old.values[j];
            }
        }
        table = t;
        return t;
    }

    /** Visits every entry with a value; a snapshot is not promised while a writer is active. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<Long, V> visitor) {
        Table t = table;
        for (int i = 0; i < t.keys.length; i++) {
            long k = (long) KEYS.getAcquire(t.keys, i);
            Object v = VALUES.getAcquire(t.values, i);
            if (k != EMPTY && v != null) {
                visitor.accept(k, (V) v);
            }
        }
    }

    public int keyCount() {
        return used;
    }
}
