package custos.server.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts failed sign-ins per login and per client address over a sliding window, in this instance's memory (a
 * cross-instance store is issue 16). Once either count reaches its limit, further attempts are refused without
 * checking the password, so guessing stops paying off even when the next guess is right. An attempt counts as a
 * failure from the moment it is let through until it proves right.
 */
public final class LoginThrottle {
    /** At most {@code perLogin} failures for one login and {@code perAddress} from one address within {@code window}. */
    public record Limits(int perLogin, int perAddress, Duration window) {
        public static Limits defaults() {
            return new Limits(5, 20, Duration.ofMinutes(15));
        }
    }

    private final Limits limits;
    private final Clock clock;
    private final Cache<String, Failures> byLogin;
    private final Cache<String, Failures> byAddress;

    public LoginThrottle(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        // Bounded, and a key forgets its failures once the window has passed without a new one.
        this.byLogin = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(limits.window()).build();
        this.byAddress = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(limits.window()).build();
    }

    /** What {@link #admit} decided. */
    public sealed interface Admission {
        /** The attempt may go ahead; it already counts as a failure until {@link #succeeded} withdraws it. */
        record Admitted(String loginKey, String address, Instant at) implements Admission {}

        /** Refused without looking at the password, for this long. */
        record Refused(Duration retryAfter) implements Admission {}
    }

    /**
     * Lets one attempt through, or refuses it. An admitted attempt is counted before its password is checked, so
     * guesses sent in parallel cannot all pass the check while the first ones are still being hashed.
     */
    public Admission admit(String login, String address) {
        Instant now = clock.instant();
        String key = loginKey(login);
        Failures forLogin = byLogin.get(key, k -> new Failures());
        Duration wait = forLogin.admit(limits.perLogin(), limits.window(), now);
        if (!wait.isZero()) {
            return new Admission.Refused(wait);
        }
        wait = byAddress.get(address, k -> new Failures()).admit(limits.perAddress(), limits.window(), now);
        if (!wait.isZero()) {
            forLogin.withdraw(now);
            return new Admission.Refused(wait);
        }
        return new Admission.Admitted(key, address, now);
    }

    /** The admitted attempt was right: it no longer counts as a failure. */
    public void succeeded(Admission.Admitted attempt) {
        Failures forLogin = byLogin.getIfPresent(attempt.loginKey());
        if (forLogin != null) {
            forLogin.withdraw(attempt.at());
        }
        Failures forAddress = byAddress.getIfPresent(attempt.address());
        if (forAddress != null) {
            forAddress.withdraw(attempt.at());
        }
    }

    /** How long until this login may be tried from this address again; empty when it may be tried now. */
    public Optional<Duration> lockedFor(String login, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        Failures forLogin = byLogin.getIfPresent(loginKey(login));
        if (forLogin != null) {
            wait = max(wait, forLogin.wait(limits.perLogin(), limits.window(), now));
        }
        Failures forAddress = byAddress.getIfPresent(address);
        if (forAddress != null) {
            wait = max(wait, forAddress.wait(limits.perAddress(), limits.window(), now));
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    private static String loginKey(String login) {
        String key = login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
        // An overlong login must not make an overlong key; the prefix still throttles whoever sends it.
        return key.length() > 200 ? key.substring(0, 200) : key;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The times of the failures still inside the window, oldest first. */
    private static final class Failures {
        private final Deque<Instant> times = new ArrayDeque<>();

        /** Records {@code now} and answers zero, or answers the wait and records nothing, in one step. */
        synchronized Duration admit(int limit, Duration window, Instant now) {
            Duration wait = wait(limit, window, now);
            if (wait.isZero()) {
                times.addLast(now);
            }
            return wait;
        }

        synchronized void withdraw(Instant at) {
            times.removeLastOccurrence(at);
        }

        /** Zero while fewer than {@code limit} failures are in the window, else until the oldest leaves it. */
        synchronized Duration wait(int limit, Duration window, Instant now) {
            forget(now, window);
            if (times.size() < limit) {
                return Duration.ZERO;
            }
            Instant free = times.stream().skip(times.size() - limit).findFirst().orElseThrow().plus(window);
            return Duration.between(now, free);
        }

        private void forget(Instant now, Duration window) {
            while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
                times.removeFirst();
            }
        }
    }
}
