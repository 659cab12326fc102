package custos.server.account;

import custos.server.oauth.Session;
import custos.server.oauth.Sessions;
import custos.server.pages.Pages;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * The gate of every page a person sees about themselves: the response gets the personal headers (not cached, not
 * framed), and a request without a signed-in session is sent to the sign-in page and gets nothing else. The person
 * is always the session's; no page takes a person id from the request.
 */
public final class SignedIn {
    private final Sessions sessions;

    public SignedIn(Sessions sessions) {
        this.sessions = sessions;
    }

    /** The signed-in session, or empty after answering with a redirect to the sign-in page. */
    public Optional<Session> require(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Optional<Session> session = sessions.current(req).filter(Session::loggedIn);
        if (session.isEmpty()) {
            redirect(res, AccountPages.SIGN_IN);
        }
        return session;
    }

    public static void redirect(ServerResponse res, String path) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, path);
        res.send();
    }
}
