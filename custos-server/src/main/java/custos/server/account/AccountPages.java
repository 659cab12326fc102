package custos.server.account;

import custos.server.http.WebFeature;
import custos.server.oauth.GuardedLogin;
import custos.server.oauth.Session;
import custos.server.oauth.Sessions;
import custos.server.pages.Form;
import custos.server.pages.Pages;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * People's own pages: {@code GET/POST /account/sign-in}, {@code POST /account/sign-out} and the signed-in landing
 * page {@code GET /account}. They share the consent screen's session and its throttled login; every POST needs the
 * session's CSRF token, and a form without it changes nothing.
 */
public final class AccountPages implements WebFeature {
    public static final String SIGN_IN = "/account/sign-in";
    public static final String HOME = "/account";

    private final Pages pages;
    private final Sessions sessions;
    private final GuardedLogin login;
    private final PersonNames names;
    private final SignedIn signedIn;

    public AccountPages(Pages pages, Sessions sessions, GuardedLogin login, PersonNames names) {
        this.pages = pages;
        this.sessions = sessions;
        this.login = login;
        this.names = names;
        this.signedIn = new SignedIn(sessions);
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get(SIGN_IN, this::signInForm)
                .post(SIGN_IN, this::signIn)
                .post("/account/sign-out", this::signOut)
                .get(HOME, this::home);
    }

    private void signInForm(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Session session = sessions.currentOrNew(req, res);
        if (session.loggedIn()) {
            SignedIn.redirect(res, HOME);
            return;
        }
        pages.send(res, "account/signin.jte", new SignInView(session.csrfToken(), null));
    }

    private void signIn(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        login.fromForm(req, res, sessions, (csrf, error) -> pages.send(res, "account/signin.jte", new SignInView(csrf, error)))
                .ifPresent(person -> {
                    sessions.open(res, person.id(), person.previous());
                    SignedIn.redirect(res, HOME);
                });
    }

    private void signOut(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Form form = Form.of(req);
        Optional<Session> session = sessions.current(req);
        if (session.isEmpty() || !session.get().loggedIn()) {
            SignedIn.redirect(res, SIGN_IN);
            return;
        }
        if (!session.get().csrfMatches(form.first("csrf"))) {
            res.status(Status.FORBIDDEN_403);
            pages.send(res, "account/home.jte", new AccountView(names.of(session.get().personId()),
                    session.get().csrfToken(), "That sign-out form did not come from this page, so you are still signed in."));
            return;
        }
        sessions.close(res, session.get());
        SignedIn.redirect(res, SIGN_IN);
    }

    private void home(ServerRequest req, ServerResponse res) {
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        pages.send(res, "account/home.jte", new AccountView(names.of(session.get().personId()),
                session.get().csrfToken(), null));
    }
}
