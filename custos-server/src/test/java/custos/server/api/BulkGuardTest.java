package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.server.limits.DailyReach;
import custos.server.store.Database;
import custos.server.store.TwoPools;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guard counts distinct people per partner and UTC day against the agreement's volume, in the store: two
 * instances (two guards on two pools of one fresh database) hold the partner to the one volume together.
 */
class BulkGuardTest {
    static final Instant MORNING = Instant.parse("2026-11-22T08:00:00Z");

    final TwoPools pools = new TwoPools();
    final Database one = pools.one;
    final Database two = pools.two;
    final List<BulkGuard.Flag> flags = Collections.synchronizedList(new ArrayList<>());
    final BulkGuard guard = new BulkGuard(new DailyReach(one.jdbi()), flags::add);
    final BulkGuard other = new BulkGuard(new DailyReach(two.jdbi()), flags::add);

    @AfterEach
    void close() {
        pools.close();
    }

    static PartnerEntry partnerWithVolume(long volume) {
        Partner partner = new Partner(9, "bulkco", "Bulk Co", PartnerKind.APP, PartnerStatus.ACTIVE,
                Instant.parse("2020-01-01T00:00:00Z"));
        Agreement agreement = new Agreement(90, 9, 1, Instant.parse("2020-01-01T00:00:00Z"), null, null,
                Duration.ofDays(90), volume, List.of());
        return new PartnerEntry(partner, List.of(agreement));
    }

    @Test
    void peopleUpToTheVolumeAreAdmittedAndOneMoreIsRefusedAndFlaggedOnce() {
        PartnerEntry p = partnerWithVolume(2);
        assertThat(guard.admit(p, 1, MORNING)).isTrue();
        assertThat(guard.admit(p, 2, MORNING)).isTrue();
        assertThat(guard.admit(p, 1, MORNING.plusSeconds(5))).as("the same person again is not a new person").isTrue();
        assertThat(guard.admit(p, 3, MORNING.plusSeconds(10))).isFalse();
        assertThat(guard.admit(p, 4, MORNING.plusSeconds(20))).isFalse();
        assertThat(flags).containsExactly(new BulkGuard.Flag(9, Instant.parse("2026-11-22T00:00:00Z"), 2, MORNING.plusSeconds(10)));
        assertThat(guard.admit(p, 2, MORNING.plusSeconds(30))).as("people already reached today stay reachable").isTrue();
    }

    @Test
    void theCountStartsAfreshOnTheNextUtcDay() {
        PartnerEntry p = partnerWithVolume(1);
        assertThat(guard.admit(p, 1, MORNING)).isTrue();
        assertThat(guard.admit(p, 2, MORNING)).isFalse();
        Instant tomorrow = Instant.parse("2026-11-23T00:00:01Z");
        assertThat(guard.admit(p, 2, tomorrow)).isTrue();
        assertThat(guard.admit(p, 3, tomorrow)).isFalse();
        assertThat(flags).hasSize(2);
        assertThat(BulkGuard.secondsToNextDay(tomorrow)).isEqualTo(86_399);
    }

    @Test
    void anAgreementWithoutAStatedVolumeIsNotCounted() {
        PartnerEntry p = partnerWithVolume(0);
        for (long person = 1; person <= 1_000; person++) {
            assertThat(guard.admit(p, person, MORNING)).isTrue();
        }
        assertThat(flags).isEmpty();
        assertThat(new DailyReach(one.jdbi()).reached(9, LocalDate.parse("2026-11-22"))).isZero();
    }

    @Test
    void aPersonReachedThroughOneInstanceIsNotCountedAgainThroughTheOther() {
        PartnerEntry p = partnerWithVolume(2);
        assertThat(guard.admit(p, 1, MORNING)).isTrue();
        assertThat(other.admit(p, 1, MORNING)).isTrue();
        assertThat(other.admit(p, 2, MORNING)).isTrue();
        assertThat(guard.admit(p, 3, MORNING)).as("two people reached across both instances").isFalse();
        assertThat(guard.admit(p, 2, MORNING)).as("reached through the other instance").isTrue();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoInstancesReachingPeopleConcurrentlyTogetherStopAtTheDailyVolume() throws Exception {
        long volume = 50;
        PartnerEntry p = partnerWithVolume(volume);
        Set<Long> admitted = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            BulkGuard g = i % 2 == 0 ? guard : other;
            int offset = i;
            threads[i] = Thread.ofPlatform().start(() -> {
                // Overlapping people: each thread walks 1..200 from its own starting point.
                for (int k = 0; k < 200; k++) {
                    long person = 1 + (k * 7 + offset * 50) % 200;
                    if (g.admit(p, person, MORNING)) {
                        admitted.add(person);
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(admitted).hasSize((int) volume);
        assertThat(new DailyReach(two.jdbi()).reached(9, LocalDate.parse("2026-11-22"))).isEqualTo(volume);
        assertThat(flags).as("flagged once per instance").hasSize(2);
    }
}
