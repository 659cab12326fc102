package custos.server.compliance;

import custos.compliance.Findings;
import custos.compliance.LogRange;
import custos.server.console.FindingResolver;
import custos.server.console.OperatorActions;
import custos.server.console.Staff;
import custos.server.console.StaffAccounts;
import custos.server.http.Json;
import custos.server.policy.ChangeBarrier;
import custos.server.store.JdbiPolicyChangeFeed;
import java.time.Clock;
import custos.server.store.Database;
import custos.server.store.StoreLocation;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos findings}: what needs an operator, computed from the store and the log. */
@Command(name = "findings", mixinStandardHelpOptions = true,
        description = "List the findings (stale agreements, access under ended terms, over-broad grants, dormant partners,"
                + " overdue recertifications, settings-violating allows) from the store and the log.")
public final class FindingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--at", description = "Judge as of this day or instant (default: now).")
    String at;

    @Option(names = "--from", description = "Read the log from this day (default: 365 days before --at).")
    String from;

    @Option(names = "--stale-days", defaultValue = "180",
            description = "An agreement with no traffic for this many days is stale (default: ${DEFAULT-VALUE}).")
    int staleDays;

    @Option(names = "--sweep", description = "Also apply what is due: notice and suspend overdue recertifications,"
            + " lapse dormant partners (what the periodic sweep does).")
    boolean sweep;

    @Option(names = "--resolve", description = "Record the resolution of the finding with this id (with --by and --note).")
    String resolve;

    @Option(names = "--by", description = "The operator login that resolves it (with --resolve); the resolution is an operator action in the log.")
    String by;

    @Option(names = "--note", description = "What was done about it (with --resolve).")
    String note;

    @Mixin
    StoreLocation store;

    @Override
    public Integer call() throws Exception {
        if (staleDays < 1) {
            throw new IllegalArgumentException("--stale-days must be positive");
        }
        Instant now = at == null ? Instant.now() : Period.end("--at", at);
        Instant start = from == null ? now.minus(Duration.ofDays(365)) : Period.start("--from", from);
        LogRange period = LogRange.period(start, now);
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = store.openSealed()) {
            Compliance compliance = new Compliance(db.jdbi());
            if (resolve != null) {
                // The console's resolution, so it is an operator action: logged with its actor, before and after.
                if (by == null || by.isBlank()) {
                    throw new IllegalArgumentException("--resolve needs --by, the operator login that resolves it");
                }
                Staff actor = new StaffAccounts(db.jdbi(), Clock.systemUTC()).byLogin(by.strip())
                        .orElseThrow(() -> new IllegalArgumentException("no staff login " + by + " (add one with ./custos operator add)"));
                OperatorActions actions = new OperatorActions(db.jdbi(),
                        new ChangeBarrier(db.jdbi(), new JdbiPolicyChangeFeed(db.jdbi())), Clock.systemUTC(), () -> { });
                OperatorActions.Done done = new FindingResolver(compliance, actions, Clock.systemUTC()).resolve(actor, resolve, note);
                out.println("custos: finding " + resolve + " resolved by " + actor.login() + ": log entry " + done.logIndex());
                out.flush();
                return 0;
            }
            if (sweep) {
                Compliance.Swept s = compliance.sweep(now);
                spec.commandLine().getErr().printf(Locale.ROOT, "custos: sweep: %d recertifications noticed, %d agreements"
                        + " suspended, %d partners lapsed %s%n", s.noticed(), s.suspended(), s.lapsed().size(), s.lapsed());
            }
            Findings.Report report = compliance.findings(now, period, Duration.ofDays(staleDays),
                    (done, total) -> spec.commandLine().getErr().printf(Locale.ROOT, "custos: replayed %,d of %,d entries%n",
                            done, total));
            if (json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(FindingsOutput.json(report)));
                out.flush();
            } else {
                FindingsOutput.print(report, out);
            }
        }
        return 0;
    }
}
