package custos.server.console;

import custos.server.account.SignedIn;
import custos.server.pages.Form;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * A staff member's own password: operators and auditors alike change it with the current one; the change is an
 * operator action in the log, and the member's other console sessions end.
 */
final class PasswordSection implements ConsoleSection {
    static final String PATH = "/console/password";
    private final StaffCredentials credentials;

    PasswordSection(StaffCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String title() {
        return "Your password";
    }

    @Override
    public void register(HttpRouting.Builder routing, ConsoleContext ctx) {
        routing.get(PATH, (req, res) -> ctx.page(req, res).ifPresent(signed -> {
            ConsoleView.Chrome chrome = ctx.chrome(signed, PATH);
            String done = req.query().first("done").orElse("");
            ctx.pages().send(res, "console/password.jte", new StaffPages.Password(done.isEmpty() ? chrome
                    : chrome.withNotice("Your password was changed; the change is log entry " + done + ".")));
        })).post(PATH, (req, res) -> change(req, res, ctx));
    }

    private void change(ServerRequest req, ServerResponse res, ConsoleContext ctx) {
        Form form = Form.of(req);
        Optional<ConsoleAccess.Signed> signed = ctx.page(req, res);
        if (signed.isEmpty()) {
            return;
        }
        ConsoleView.Chrome chrome = ctx.chrome(signed.get(), PATH);
        if (!signed.get().session().csrfMatches(form.first("csrf"))) {
            res.status(Status.FORBIDDEN_403);
            ctx.pages().send(res, "console/password.jte", new StaffPages.Password(
                    chrome.withError("That form did not come from this console, so nothing was changed. Go back and try again.")));
            return;
        }
        String next = form.first("next");
        try {
            if (next == null || !next.equals(form.first("again"))) {
                throw new ActionRefused(ActionRefused.Why.INVALID, "The two new passwords differ, so nothing was changed.");
            }
            OperatorActions.Done done = credentials.changeOwn(signed.get().staff(), form.first("current"), next,
                    signed.get().session().idHash());
            SignedIn.redirect(res, PATH + "?done=" + done.logIndex());
        } catch (ActionRefused refused) {
            res.status(Status.BAD_REQUEST_400);
            ctx.pages().send(res, "console/password.jte", new StaffPages.Password(chrome.withError(refused.getMessage())));
        }
    }
}
