package custos.policy;

import static custos.policy.TinyWorld.*;
import static org.assertj.core.api.Assertions.assertThat;

import custos.partner.Agreement;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LapseAndRecertificationDecisionTest {

    @Test
    void aDormantPartnerIsDeniedWithItsOwnReasonNotAsSuspended() {
        PolicyView view = openWorld();
        view.putPartner(partner(PartnerStatus.DORMANT, PartnerKind.APP,
                agreement(T0, null, purpose(Set.of(MESSAGES_READ), false, null))));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.PARTNER_DORMANT);
    }

    @Test
    void anAgreementSuspendedForRecertificationDeniesFromItsSuspensionOnAndNotBefore() {
        PolicyView view = openWorld();
        Agreement plain = agreement(T0, null, purpose(Set.of(MESSAGES_READ), false, null));
        Agreement suspended = new Agreement(plain.id(), plain.partnerId(), plain.version() + 1, plain.validFrom(),
                plain.validUntil(), LocalDate.of(2025, 1, 1), Duration.ofDays(365), 1000, plain.purposes(), 90,
                NOW.minusSeconds(1));
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.APP, suspended));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.RECERTIFICATION_OVERDUE);
        DecisionRequest earlier = new DecisionRequest(PARTNER, "c", PURPOSE, ALICE, ALICE, MESSAGES_READ,
                NOW.minusSeconds(2), null);
        assertThat(new DecisionEngine(view, RateLimiter.UNLIMITED).decide(earlier).allowed())
                .as("an entry made before the suspension still replays as allowed").isTrue();
    }

    @Test
    void anAgreementRefusesARecertificationIntervalOutsideNinetyToThreeHundredSixtyFiveDays() {
        Agreement plain = agreement(T0, null, purpose(Set.of(MESSAGES_READ), false, null));
        for (int days : List.of(89, 366)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Agreement(plain.id(), plain.partnerId(), 1,
                    T0, null, null, Duration.ofDays(1), 1, List.of(), days, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("90 to 365");
        }
    }
}
