package custos.server.oauth;

import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Where both doors check a person's login: the throttle first (a locked login or address is refused without looking
 * at the password), then the {@link PersonAuthenticator}; only a right password stops the attempt counting as a
 * failure.
 */
public final class GuardedLogin {
    /** What one attempt came to. */
    public sealed interface Attempt {
        record SignedIn(long personId) implements Attempt {}
        record Wrong() implements Attempt {}
        record Locked(Duration retryAfter) implements Attempt {}
    }

    private final PersonAuthenticator authenticator;
    private final LoginThrottle throttle;

    public GuardedLogin(PersonAuthenticator authenticator, LoginThrottle throttle) {
        this.authenticator = authenticator;
        this.throttle = throttle;
    }

    public Attempt attempt(String login, String password, String address) {
        LoginThrottle.Admission admission = throttle.admit(login, address);
        if (admission instanceof LoginThrottle.Admission.Refused refused) {
            return new Attempt.Locked(refused.retryAfter());
        }
        Optional<Long> person = authenticator.verify(login, password);
        if (person.isEmpty()) {
            return new Attempt.Wrong();
        }
        throttle.succeeded((LoginThrottle.Admission.Admitted) admission);
        return new Attempt.SignedIn(person.get());
    }

    /** The address an attempt is counted against. */
    public static String clientAddress(ServerRequest req) {
        // The socket's peer; behind a proxy this is the proxy, trusted forwarding headers are issue 16.
        SocketAddress peer = req.remotePeer().address();
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(peer);
    }

    /** Whole seconds for a Retry-After header, never zero. */
    public static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** The message a locked-out person reads. */
    public static String lockedMessage(Duration wait) {
        long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
        return "Too many failed sign-ins for this login or from this address. Sign-in is paused; try again in "
                + minutes + (minutes == 1 ? " minute." : " minutes.");
    }
}
