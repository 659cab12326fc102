package custos.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.replay.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The sliding window of the sign-in throttle, on a simulated clock. */
class LoginThrottleTest {
    static final Instant START = Instant.parse("2026-12-01T12:00:00Z");
    static final LoginThrottle.Limits LIMITS = LoginThrottle.Limits.defaults();

    @Test
    void aLockedLoginOpensAgainWhenItsOldestFailureLeavesTheWindow() {
        SimulatedClock clock = new SimulatedClock(START);
        LoginThrottle throttle = new LoginThrottle(LIMITS, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.admit("anna", "10.0.0." + i)).isInstanceOf(LoginThrottle.Admission.Admitted.class);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(throttle.lockedFor("Anna ", "10.0.0.99")).as("the login, whatever its case and spaces, anywhere")
                .hasValue(Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.lockedFor("anna", "10.0.0.99")).isEmpty();
    }

    @Test
    void anAddressIsLockedAfterTwentyFailuresWhateverTheLogins() {
        SimulatedClock clock = new SimulatedClock(START);
        LoginThrottle throttle = new LoginThrottle(LIMITS, clock);
        for (int i = 0; i < 20; i++) {
            throttle.admit("guess" + i, "10.0.0.1");
        }
        assertThat(throttle.lockedFor("someone-else", "10.0.0.1")).hasValue(Duration.ofMinutes(15));
        assertThat(throttle.lockedFor("someone-else", "10.0.0.2")).isEmpty();
    }

    @Test
    void aRightPasswordDoesNotCountAsAFailure() {
        SimulatedClock clock = new SimulatedClock(START);
        LoginThrottle throttle = new LoginThrottle(LIMITS, clock);
        for (int i = 0; i < 10; i++) {
            LoginThrottle.Admission admitted = throttle.admit("cy", "10.0.0.1");
            assertThat(admitted).isInstanceOf(LoginThrottle.Admission.Admitted.class);
            throttle.succeeded((LoginThrottle.Admission.Admitted) admitted);
        }
        assertThat(throttle.lockedFor("cy", "10.0.0.1")).isEmpty();
    }

    @Test
    void aRefusalForTheAddressDoesNotSpendTheLoginsAllowance() {
        SimulatedClock clock = new SimulatedClock(START);
        LoginThrottle throttle = new LoginThrottle(LIMITS, clock);
        for (int i = 0; i < 20; i++) {
            throttle.admit("guess" + i, "10.0.0.1");
        }
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.admit("dee", "10.0.0.1")).isInstanceOf(LoginThrottle.Admission.Refused.class);
        }
        assertThat(throttle.lockedFor("dee", "10.0.0.2")).isEmpty();
    }

    /** Locked exactly when the window holds the limit's worth of failures, until the one that reached it ages out. */
    @Property(tries = 200)
    void lockedIffTheWindowHoldsTheLimit(@ForAll @Size(max = 12) List<@IntRange(min = 0, max = 600) Integer> gapsSeconds,
                                         @ForAll @IntRange(min = 0, max = 1200) int checkAfterSeconds) {
        SimulatedClock clock = new SimulatedClock(START);
        LoginThrottle throttle = new LoginThrottle(LIMITS, clock);
        List<Instant> failures = new ArrayList<>();
        for (int gap : gapsSeconds) {
            clock.advance(Duration.ofSeconds(gap));
            if (throttle.admit("bo", "a") instanceof LoginThrottle.Admission.Admitted) {
                failures.add(clock.instant());
            }
        }
        clock.advance(Duration.ofSeconds(checkAfterSeconds));
        Instant now = clock.instant();
        List<Instant> inWindow = failures.stream().filter(t -> t.plus(LIMITS.window()).isAfter(now)).toList();
        if (inWindow.size() < LIMITS.perLogin()) {
            assertThat(throttle.lockedFor("bo", "a")).isEmpty();
        } else {
            Instant reaching = inWindow.get(inWindow.size() - LIMITS.perLogin());
            assertThat(throttle.lockedFor("bo", "a")).hasValue(Duration.between(now, reaching.plus(LIMITS.window())));
        }
    }
}
