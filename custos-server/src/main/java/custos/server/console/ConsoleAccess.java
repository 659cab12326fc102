package custos.server.console;

import custos.server.account.SignedIn;
import custos.server.http.Problem;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import custos.server.oauth.Session;
import custos.server.oauth.Sessions;
import custos.server.pages.Pages;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;

/**
 * The gate of every console page and admin API route, checked on the server for each request: who is asking (a staff
 * session from the console's sign-in, or an operator's bearer credential), and whether their role may do it. A
 * person's session is nobody here, and a staff session is nobody on the people's pages ({@link Session#loggedIn()}).
 */
public final class ConsoleAccess {
    public static final String SIGN_IN = "/console/sign-in";
    /** The header a script using the console's session cookie sends its CSRF token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final Sessions sessions;
    private final StaffAccounts staff;

    /** A signed-in member of staff and their browser session (for its CSRF token). */
    public record Signed(Staff staff, Session session) {}

    public ConsoleAccess(Sessions sessions, StaffAccounts staff) {
        this.sessions = sessions;
        this.staff = staff;
    }

    /** A page: the signed-in staff member, or empty after redirecting to the console's sign-in. */
    public Optional<Signed> page(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Optional<Signed> signed = fromSession(req);
        if (signed.isEmpty()) {
            SignedIn.redirect(res, SIGN_IN);
        }
        return signed;
    }

    /**
     * An admin API call: a bearer credential, or the console's session cookie (then a changing method needs the
     * session's CSRF token in {@value #CSRF_HEADER}). Throws the 401 or 403 problem otherwise; {@code act} asks for an
     * operator.
     */
    public Staff api(ServerRequest req, boolean act) {
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        Staff who;
        if (authorization.isPresent()) {
            String value = authorization.get();
            who = value.regionMatches(true, 0, "Bearer ", 0, 7) ? staff.byToken(value.substring(7).strip()).orElse(null) : null;
            if (who == null) {
                throw unauthorized("the bearer credential is not a staff credential, or it expired");
            }
        } else {
            Signed signed = fromSession(req).orElseThrow(() -> unauthorized(
                    "sign in to the console, or send an operator's credential as Authorization: Bearer"));
            boolean changes = req.prologue().method() != Method.GET && req.prologue().method() != Method.HEAD;
            if (changes && !signed.session().csrfMatches(req.headers().first(HeaderNames.create(CSRF_HEADER)).orElse(null))) {
                throw new ProblemException(Problem.of(ProblemType.ROLE_FORBIDS,
                        "a change made with the console's session needs the session's CSRF token in " + CSRF_HEADER));
            }
            who = signed.staff();
        }
        if (act && !who.mayAct()) {
            throw new ProblemException(Problem.of(ProblemType.ROLE_FORBIDS, "an auditor reads; only an operator may act"));
        }
        return who;
    }

    private Optional<Signed> fromSession(ServerRequest req) {
        return sessions.current(req).filter(Session::staff)
                .flatMap(s -> staff.byId(s.staffId()).map(st -> new Signed(st, s)));
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(ProblemType.INVALID_TOKEN, detail), Map.of("WWW-Authenticate", "Bearer"));
    }

    Sessions sessions() {
        return sessions;
    }
}
