package custos.server.console;

import custos.compliance.Finding;
import custos.compliance.Findings;
import custos.compliance.Progress;
import custos.server.account.SignedIn;
import custos.server.compliance.Compliance;
import custos.server.compliance.JdbcFindingResolutions;
import custos.server.pages.Form;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * The console's findings: what needs an operator, computed from the store and the log for a period (by default the
 * last 365 days), with the replay of every allowed entry of the period against the terms in force at its time. An
 * operator resolves a finding with a note; the resolution is an operator action, so it is an entry of the audit log.
 */
final class FindingsSection implements ConsoleSection {
    static final String PATH = "/console/findings";
    private final Compliance compliance;
    private final Clock clock;

    FindingsSection(Compliance compliance, Clock clock) {
        this.compliance = compliance;
        this.clock = clock;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String title() {
        return "Findings";
    }

    @Override
    public void register(HttpRouting.Builder routing, ConsoleContext ctx) {
        routing.get(PATH, (req, res) -> ctx.page(req, res).ifPresent(signed -> {
            Optional<UtcDays> period = period(req.query().first("from").orElse(""), req.query().first("to").orElse(""));
            if (period.isEmpty()) {
                res.status(Status.BAD_REQUEST_400);
                show(res, ctx, ctx.chrome(signed, PATH).withError("The period is two dates (YYYY-MM-DD), the first before the second."),
                        defaultPeriod());
                return;
            }
            ConsoleView.Chrome chrome = ctx.chrome(signed, PATH);
            String done = req.query().first("done").orElse("");
            show(res, ctx, done.isEmpty() ? chrome : chrome.withNotice("Finding " + done + " resolved; the resolution is log entry "
                    + req.query().first("entry").orElse("?") + "."), period.get());
        })).post(PATH + "/resolve", (req, res) -> resolve(req, res, ctx));
    }

    private void show(ServerResponse res, ConsoleContext ctx, ConsoleView.Chrome chrome, UtcDays period) {
        Findings.Report report = compliance.findings(clock.instant(), period.range(), Findings.DEFAULT_STALE_AFTER, Progress.NONE);
        ctx.pages().send(res, "console/findings.jte", new ConsoleView.FindingsPage(chrome, report,
                period.from().toString(), period.to().toString()));
    }

    private void resolve(ServerRequest req, ServerResponse res, ConsoleContext ctx) {
        Form form = Form.of(req);
        Optional<ConsoleAccess.Signed> signed = ctx.operatorForm(req, res, form);
        if (signed.isEmpty()) {
            return;
        }
        String id = form.first("finding");
        UtcDays period = defaultPeriod();
        try {
            OperatorActions.Done done = new FindingResolver(compliance, ctx.actions(), clock).resolve(signed.get().staff(), id,
                    form.first("note"));
            SignedIn.redirect(res, PATH + "?done=" + java.net.URLEncoder.encode(done.action().target(),
                    java.nio.charset.StandardCharsets.UTF_8) + "&entry=" + done.logIndex());
        } catch (ActionRefused refused) {
            res.status(refused.why() == ActionRefused.Why.NOT_FOUND ? Status.NOT_FOUND_404 : Status.BAD_REQUEST_400);
            show(res, ctx, ctx.chrome(signed.get(), PATH).withError(refused.getMessage()), period);
        }
    }

    private UtcDays defaultPeriod() {
        return UtcDays.lastYear(clock);
    }

    private Optional<UtcDays> period(String from, String to) {
        if (from.isEmpty() && to.isEmpty()) {
            return Optional.of(defaultPeriod());
        }
        return UtcDays.parse(from, to).filter(p -> Duration.between(p.range().from(), p.range().until()).toDays() <= 3_660);
    }
}
