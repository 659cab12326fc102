package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard counts distinct people per partner and UTC day against the agreement's volume, and flags once. */
class BulkGuardTest {
    static final Instant MORNING = Instant.parse("2026-11-22T08:00:00Z");

    final List<BulkGuard.Flag> flags = new ArrayList<>();
    final BulkGuard guard = new BulkGuard(flags::add);

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
    }

    @Test
    void anAgreementWithoutAStatedVolumeIsNotCounted() {
        PartnerEntry p = partnerWithVolume(0);
        for (long person = 1; person <= 1_000; person++) {
            assertThat(guard.admit(p, person, MORNING)).isTrue();
        }
        assertThat(flags).isEmpty();
    }
}
