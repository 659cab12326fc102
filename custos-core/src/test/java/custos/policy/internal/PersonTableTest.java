package custos.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PersonTableTest {

    @Test
    void denseAndSparseIdsAllComeBackAndReplacingKeepsOneEntry() {
        PersonTable table = new PersonTable(4);
        Map<Long, PersonPolicy> expected = new HashMap<>();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 60_000; i++) {
            // Mostly a growing sequence (the dense part grows with it), some far ids and negatives (sparse).
            long id = switch (i % 5) {
                case 0 -> rng.nextLong();
                case 1 -> -1 - rng.nextInt(1000);
                default -> i;
            };
            PersonPolicy p = PersonPolicy.empty(id).withFriends(new long[] {i});
            table.put(p);
            expected.put(id, p);
        }
        expected.forEach((id, p) -> assertThat(table.get(id)).isSameAs(p));
        assertThat(table.get(59_999 + 1_000_000L)).isNull();
        assertThat(table.get(Long.MIN_VALUE)).isNull();
    }

    @Test
    void aSparsePersonIsStillFoundOnceTheDenseArrayGrowsOverItsId() {
        PersonTable table = new PersonTable(1);
        PersonPolicy far = PersonPolicy.empty(100);
        table.put(far);
        assertThat(table.get(100)).isSameAs(far);
        for (long id = 0; id < 100; id++) {
            table.put(PersonPolicy.empty(id));
        }
        assertThat(table.get(100)).isSameAs(far);
        PersonPolicy replaced = far.withFriends(new long[] {1});
        table.put(replaced);
        assertThat(table.get(100)).isSameAs(replaced);
    }
}
