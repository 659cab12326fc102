package custos.server.console;

import custos.server.account.SignedIn;
import custos.server.pages.Form;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import java.util.Optional;

/**
 * The log-integrity panel: the latest checkpoint as the console's {@link LogMonitor} last checked it, the earlier
 * checkpoints it proved it against, and every failure it found. Any staff member may read it and ask for a round now.
 */
final class LogIntegritySection implements ConsoleSection {
    static final String PATH = "/console/log";
    private final LogMonitor monitor;

    LogIntegritySection(LogMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String title() {
        return "Log integrity";
    }

    @Override
    public void register(HttpRouting.Builder routing, ConsoleContext ctx) {
        routing.get(PATH, (req, res) -> ctx.page(req, res).ifPresent(signed -> {
            if (monitor.state() == null) {
                monitor.round();
            }
            ConsoleView.Chrome chrome = ctx.chrome(signed, PATH);
            if (req.query().first("checked").isPresent() && monitor.failure().isEmpty()) {
                chrome = chrome.withNotice("Checked just now: the log is consistent with every checkpoint checked.");
            }
            show(res, ctx, chrome);
        })).post(PATH + "/check", (req, res) -> {
            Form form = Form.of(req);
            Optional<ConsoleAccess.Signed> signed = ctx.page(req, res);
            if (signed.isEmpty()) {
                return;
            }
            if (!signed.get().session().csrfMatches(form.first("csrf"))) {
                res.status(Status.FORBIDDEN_403);
                show(res, ctx, ctx.chrome(signed.get(), PATH)
                        .withError("That form did not come from this console, so nothing was checked. Go back and try again."));
                return;
            }
            monitor.round();
            SignedIn.redirect(res, PATH + "?checked");
        });
    }

    private void show(io.helidon.webserver.http.ServerResponse res, ConsoleContext ctx, ConsoleView.Chrome chrome) {
        ctx.pages().send(res, "console/log.jte", new StaffPages.LogIntegrity(chrome, monitor.state(), monitor.seen(20),
                monitor.failures(20)));
    }
}
