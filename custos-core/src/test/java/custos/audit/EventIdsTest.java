package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    @Test
    void idsAreRandomVersionFourWithTheRfcVariantAndDoNotRepeat() {
        Set<UUID> seen = new HashSet<>();
        int[] bitSet = new int[128];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            UUID id = EventIds.next();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(seen.add(id)).as("id %s repeated", id).isTrue();
            for (int b = 0; b < 64; b++) {
                bitSet[b] += (int) (id.getMostSignificantBits() >>> b & 1);
                bitSet[64 + b] += (int) (id.getLeastSignificantBits() >>> b & 1);
            }
        }
        // Every bit that is not fixed by the version and variant is set about half the time (6 sigma is about 950).
        for (int b = 0; b < 128; b++) {
            boolean fixed = (b >= 12 && b <= 15) || b >= 126;
            if (!fixed) {
                assertThat(bitSet[b]).as("bit %d", b).isBetween(n / 2 - 1_000, n / 2 + 1_000);
            }
        }
    }
}
