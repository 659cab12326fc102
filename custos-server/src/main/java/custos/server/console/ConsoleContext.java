package custos.server.console;

import custos.server.pages.Form;
import custos.server.pages.Pages;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;

/** What every console section works with: the templates, the access gate, the navigation and the operator actions. */
public record ConsoleContext(Pages pages, ConsoleAccess access, List<ConsoleView.Link> nav, OperatorActions actions,
                             Inventory inventory, java.util.function.Supplier<Optional<String>> logAlert) {
    public ConsoleContext {
        nav = List.copyOf(nav);
    }

    /** The page's chrome for the signed-in staff member, with {@code current} marked in the navigation. */
    public ConsoleView.Chrome chrome(ConsoleAccess.Signed signed, String current) {
        return ConsoleView.Chrome.of(signed, nav, current, logAlert.get().orElse(null));
    }

    /** A page anyone on the staff may read: the signed-in staff member, or empty after redirecting to the sign-in. */
    public Optional<ConsoleAccess.Signed> page(ServerRequest req, ServerResponse res) {
        return access.page(req, res);
    }

    /**
     * A form that acts: an operator's session whose CSRF token the form carries. An auditor gets a 403 page, a form
     * without the token a 403 too; either way nothing changes.
     */
    public Optional<ConsoleAccess.Signed> operatorForm(ServerRequest req, ServerResponse res, Form form) {
        Optional<ConsoleAccess.Signed> signed = access.page(req, res);
        if (signed.isEmpty()) {
            return signed;
        }
        if (!signed.get().staff().mayAct()) {
            res.status(Status.FORBIDDEN_403);
            pages.send(res, "console/forbidden.jte", new ConsoleView.Forbidden(chrome(signed.get(), "")
                    .withError("Your role is auditor: you can read everything here, but only an operator can act.")));
            return Optional.empty();
        }
        if (!signed.get().session().csrfMatches(form.first("csrf"))) {
            res.status(Status.FORBIDDEN_403);
            pages.send(res, "console/forbidden.jte", new ConsoleView.Forbidden(chrome(signed.get(), "")
                    .withError("That form did not come from this console, so nothing was changed. Go back and try again.")));
            return Optional.empty();
        }
        return signed;
    }
}
