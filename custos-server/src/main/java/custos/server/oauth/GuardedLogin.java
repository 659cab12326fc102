package custos.server.oauth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
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

    /** Who signed in through a posted form, and the anonymous session the new one replaces. */
    public record FormSignIn(long id, Session previous) {}

    /**
     * A sign-in form posted to one of the doors (people's pages, the console): checks the session's CSRF token, then
     * the login. On a refusal it answers with the form again through {@code form} (the CSRF token to put in it and
     * the message: 403 for an expired or foreign form, 401 or 429 as {@link #refusal} says) and returns empty; on
     * success the caller opens the session.
     */
    public Optional<FormSignIn> fromForm(ServerRequest req, ServerResponse res, Sessions sessions,
                                         java.util.function.BiConsumer<String, String> form) {
        custos.server.pages.Form posted = custos.server.pages.Form.of(req);
        Optional<Session> session = sessions.current(req).filter(s -> s.csrfMatches(posted.first("csrf")));
        if (session.isEmpty()) {
            res.status(Status.FORBIDDEN_403);
            form.accept(sessions.currentOrNew(req, res).csrfToken(),
                    "This form has expired or did not come from this page. Please sign in again.");
            return Optional.empty();
        }
        Attempt attempt = attempt(posted.first("login"), posted.first("password"), clientAddress(req));
        Optional<String> refused = refusal(attempt, res);
        if (refused.isPresent()) {
            form.accept(session.get().csrfToken(), refused.get());
            return Optional.empty();
        }
        return Optional.of(new FormSignIn(((Attempt.SignedIn) attempt).personId(), session.get()));
    }

    /** The address an attempt is counted against. */
    public static String clientAddress(ServerRequest req) {
        // The socket's peer; behind a proxy this is the proxy, trusted forwarding headers are issue 16.
        SocketAddress peer = req.remotePeer().address();
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(peer);
    }

    /**
     * Answers a refused attempt the same way at every door: 429 with {@code Retry-After} for a locked login or
     * address, 401 for a wrong password; returns the message the form shows again, or empty for a person now signed
     * in (the caller opens the session).
     */
    public static Optional<String> refusal(Attempt attempt, ServerResponse res) {
        return switch (attempt) {
            case Attempt.Locked locked -> {
                res.status(Status.TOO_MANY_REQUESTS_429);
                res.header(HeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds(locked.retryAfter())));
                yield Optional.of(lockedMessage(locked.retryAfter()));
            }
            case Attempt.Wrong wrong -> {
                res.status(Status.UNAUTHORIZED_401);
                yield Optional.of("That login and password do not match. Try again.");
            }
            case Attempt.SignedIn person -> Optional.empty();
        };
    }

    /** Whole seconds for a Retry-After header, never zero. */
    static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** The message a locked-out person reads. */
    static String lockedMessage(Duration wait) {
        long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
        return "Too many failed sign-ins for this login or from this address. Sign-in is paused; try again in "
                + minutes + (minutes == 1 ? " minute." : " minutes.");
    }
}
