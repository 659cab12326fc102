package custos.server.console;

import custos.server.account.SignedIn;
import custos.server.http.WebFeature;
import custos.server.oauth.GuardedLogin;
import custos.server.oauth.LoginThrottle;
import custos.server.oauth.Session;
import custos.server.oauth.Sessions;
import custos.server.pages.Form;
import custos.server.pages.Pages;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The console for operators and auditors: its own sign-in at {@code /console/sign-in} (staff logins, through the same
 * sessions, CSRF tokens and throttled login as people's pages), sign-out, and the sections it was given. Every route
 * checks the staff session on the server; a person's session is nobody here.
 */
public final class Console implements WebFeature {
    public static final String HOME = "/console";

    private final Sessions sessions;
    private final GuardedLogin login;
    private final ConsoleContext ctx;
    private final List<ConsoleSection> sections;

    public Console(Pages pages, Sessions sessions, StaffAccounts staff, OperatorActions actions, Inventory inventory,
                   Clock clock, List<ConsoleSection> sections, LogMonitor monitor) {
        this.sessions = sessions;
        // Its own throttle: a locked staff login or address says nothing about people's, and the reverse.
        this.login = new GuardedLogin(staff, new LoginThrottle(LoginThrottle.Limits.defaults(), clock));
        this.sections = List.copyOf(sections);
        this.ctx = new ConsoleContext(pages, new ConsoleAccess(sessions, staff),
                sections.stream().map(s -> new ConsoleView.Link(s.title(), s.path())).toList(), actions, inventory,
                monitor::failure);
    }

    /** The console with its standard sections: the one place a section is added. */
    public static Console standard(Pages pages, Sessions sessions, StaffAccounts staff, OperatorActions actions,
                                   Inventory inventory, Clock clock, LogMonitor monitor) {
        return new Console(pages, sessions, staff, actions, inventory, clock,
                List.of(new PartnersSection(), new FindingsSection(new custos.server.compliance.Compliance(inventory.jdbi()), clock),
                        new ReportsSection(new custos.server.compliance.Compliance(inventory.jdbi())), new ActionsSection(),
                        new LogIntegritySection(monitor),
                        new PasswordSection(new StaffCredentials(inventory.jdbi(), staff, actions, clock))), monitor);
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get(ConsoleAccess.SIGN_IN, this::signInForm)
                .post(ConsoleAccess.SIGN_IN, this::signIn)
                .post("/console/sign-out", this::signOut)
                .get(HOME, (req, res) -> {
                    if (ctx.page(req, res).isPresent()) {
                        SignedIn.redirect(res, sections.get(0).path());
                    }
                });
        sections.forEach(s -> s.register(routing, ctx));
    }

    private void signInForm(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Session session = sessions.currentOrNew(req, res);
        if (session.staff()) {
            SignedIn.redirect(res, HOME);
            return;
        }
        ctx.pages().send(res, "console/signin.jte", new ConsoleView.SignIn(session.csrfToken(), null));
    }

    private void signIn(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        login.fromForm(req, res, sessions, (csrf, error) -> ctx.pages().send(res, "console/signin.jte", new ConsoleView.SignIn(csrf, error)))
                .ifPresent(staff -> {
                    sessions.openStaff(res, staff.id(), staff.previous());
                    SignedIn.redirect(res, HOME);
                });
    }

    private void signOut(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Form form = Form.of(req);
        Optional<Session> session = sessions.current(req).filter(Session::staff);
        if (session.isPresent() && session.get().csrfMatches(form.first("csrf"))) {
            sessions.close(res, session.get());
        }
        SignedIn.redirect(res, ConsoleAccess.SIGN_IN);
    }
}
