package custos.server.console;

import java.time.Instant;
import java.util.List;

/** The models of the console's templates. */
public final class ConsoleView {
    private ConsoleView() {}

    /** A section's entry in the console's navigation. */
    public record Link(String title, String path) {}

    /**
     * What every console page shows around its content: who is signed in and as what, the CSRF token of their forms,
     * the navigation (one link per registered section), the current section's path, and a message (done or refused).
     */
    public record Chrome(String login, String role, boolean mayAct, String csrf, List<Link> nav, String current,
                         String notice, String error, String logAlert) {
        public Chrome {
            nav = List.copyOf(nav);
        }

        /** {@code logAlert}: why the console's log monitor found the log bad (null while it passes), shown on every page. */
        static Chrome of(ConsoleAccess.Signed s, List<Link> nav, String current, String logAlert) {
            return new Chrome(s.staff().login(), s.staff().role().name().toLowerCase(java.util.Locale.ROOT),
                    s.staff().mayAct(), s.session().csrfToken(), nav, current, null, null, logAlert);
        }

        public Chrome withNotice(String text) {
            return new Chrome(login, role, mayAct, csrf, nav, current, text, error, logAlert);
        }

        public Chrome withError(String text) {
            return new Chrome(login, role, mayAct, csrf, nav, current, notice, text, logAlert);
        }
    }

    public record SignIn(String csrf, String error) {}

    public record Forbidden(Chrome chrome) {}

    /** The inventory list with its filter and sort, as asked. */
    public record Partners(Chrome chrome, List<Inventory.Row> rows, int total, String q, String kind, String status,
                           String sort, boolean descending, Instant countedAt, List<String> kinds) {}

    /** One partner's page: its line, chart and, for an operator, the forms that act on it. */
    public record Partner(Chrome chrome, Inventory.Row row, String chart, List<Action> actions, List<String> clients) {}

    /** A client secret, shown once. */
    public record Secret(Chrome chrome, String partnerSlug, String clientId, String secret, long logIndex) {}

    /** An operator action as the log holds it. */
    public record Action(long index, Instant at, String actor, String action, String partner, String target,
                         String before, String after) {}

    public record Actions(Chrome chrome, List<Action> actions) {}

    /** The findings of a period with the replay of its allowed entries; an operator gets a resolve form per open one. */
    public record FindingsPage(Chrome chrome, custos.compliance.Findings.Report report, String from, String to) {}

    /** The report form, and the report's HTML (counts, reasons, ids; built by ReportFiles) once a period was asked. */
    public record ReportPage(Chrome chrome, String from, String to, String partner, String html, String csvLink) {}
}
