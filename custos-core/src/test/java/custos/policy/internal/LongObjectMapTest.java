package custos.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LongObjectMapTest {

    @Test
    void growsFarPastItsExpectedSizeAndKeepsEveryEntry() {
        LongObjectMap<String> map = new LongObjectMap<>(1);
        for (long k = -50_000; k < 50_000; k++) {
            map.put(k * 31, "v" + k);
        }
        for (long k = -50_000; k < 50_000; k++) {
            assertThat(map.get(k * 31)).isEqualTo("v" + k);
        }
        assertThat(map.get(1)).isNull();
        assertThat(map.keyCount()).isEqualTo(100_000);
    }

    @Test
    void overwritesInPlaceAndNullRemovesTheValue() {
        LongObjectMap<String> map = new LongObjectMap<>(4);
        map.put(5, "a");
        map.put(5, "b");
        assertThat(map.get(5)).isEqualTo("b");
        assertThat(map.keyCount()).isEqualTo(1);
        map.put(5, null);
        assertThat(map.get(5)).isNull();
        int[] visited = {0};
        map.forEach((k, v) -> visited[0]++);
        assertThat(visited[0]).isZero();
        map.put(5, "c");
        assertThat(map.get(5)).isEqualTo("c");
    }

    @Test
    void refusesTheReservedKey() {
        assertThatThrownBy(() -> new LongObjectMap<String>(4).put(Long.MIN_VALUE, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A reader must always see a complete array whose content matches its key, through overwrites and growth. */
    @Test
    void concurrentReadersNeverSeeATornOrForeignValueWhileTheWriterGrowsAndOverwrites() throws Exception {
        LongObjectMap<long[]> map = new LongObjectMap<>(16);
        for (long k = 1; k <= 64; k++) {
            map.put(k, new long[] {k, k});
        }
        AtomicReference<String> failure = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                long i = 0;
                while (!done.get()) {
                    long k = 1 + (i++ % 64);
                    long[] v = map.get(k);
                    if (v == null || v[0] != k || v[1] != v[0]) {
                        failure.compareAndSet(null, "key " + k + " read " + java.util.Arrays.toString(v));
                    }
                }
            });
            readers[r].start();
        }
        for (long round = 0; round < 200; round++) {
            for (long k = 1; k <= 64; k++) {
                map.put(k, new long[] {k, k});
            }
            for (long extra = 0; extra < 500; extra++) {
                map.put(1_000 + round * 500 + extra, new long[] {-1, -1});
            }
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(map.keyCount()).isEqualTo(64 + 200 * 500);
    }
}
