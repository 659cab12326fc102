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
        // The engine's path: the table beside the entry, the very one of the entry's latest version.
        expected.forEach((id, p) -> assertThat(table.table(id)).isSameAs(p.table()));
        assertThat(table.get(59_999 + 1_000_000L)).isNull();
        assertThat(table.table(59_999 + 1_000_000L)).isNull();
        assertThat(table.get(Long.MIN_VALUE)).isNull();
    }

    @Test
    void aSparsePersonIsStillFoundOnceTheDenseArrayGrowsOverItsId() {
        PersonTable table = new PersonTable(1);
        PersonPolicy far = PersonPolicy.empty(100);
        table.put(far);
        assertThat(table.get(100)).isSameAs(far);
        assertThat(table.table(100)).isSameAs(far.table());
        for (long id = 0; id < 100; id++) {
            table.put(PersonPolicy.empty(id));
        }
        assertThat(table.get(100)).isSameAs(far);
        assertThat(table.table(100)).as("copied into the grown tables too").isSameAs(far.table());
        PersonPolicy replaced = far.withFriends(new long[] {1});
        table.put(replaced);
        assertThat(table.get(100)).isSameAs(replaced);
        assertThat(table.table(100)).isSameAs(replaced.table());
    }

    @Test
    void aPersonsTableCarriesItsFriendsAfterConsentsAndSettingsAndFriendshipIsFoundFromEitherSide() {
        PersonPolicy few = PersonPolicy.empty(1).withFriends(new long[] {2, 7});
        long[] many = new long[500];
        for (int i = 0; i < many.length; i++) {
            many[i] = 10 + 2L * i;
        }
        many[0] = 1;
        PersonPolicy crowd = PersonPolicy.empty(10).withFriends(many);
        assertThat(few.friends()).containsExactly(2, 7);
        assertThat(crowd.friends()).containsExactly(many);
        assertThat(PersonPolicy.areFriends(crowd.table(), 10, few.table(), 1)).isFalse(); // few's list lacks 10
        assertThat(PersonPolicy.areFriends(few.table(), 1, crowd.table(), 10)).isFalse();
        PersonPolicy mutual = few.withFriends(new long[] {2, 7, 10});
        assertThat(PersonPolicy.areFriends(crowd.table(), 10, mutual.table(), 1)).isTrue();
        assertThat(PersonPolicy.settingsWordAt(mutual.table(), 0, 0)).isEqualTo(PersonPolicy.DEFAULT_SETTINGS);
    }
}
