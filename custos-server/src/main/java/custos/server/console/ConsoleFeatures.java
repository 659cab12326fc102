package custos.server.console;

import custos.server.http.WebFeature;
import custos.server.oauth.Sessions;
import custos.server.pages.Pages;
import custos.server.policy.ChangeBarrier;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Wires the console and the admin API for the composition root: one line there. */
public final class ConsoleFeatures {
    private ConsoleFeatures() {}

    /**
     * {@code logGrew} runs after each operator action's entry is durable (the server nudges its log integrator);
     * {@code monitor} is the console's log monitor, started and closed by the server.
     */
    public static List<WebFeature> of(Pages pages, Sessions sessions, Jdbi jdbi, ChangeBarrier barrier, Clock clock,
                                      Runnable logGrew, LogMonitor monitor) {
        StaffAccounts staff = new StaffAccounts(jdbi, clock);
        OperatorActions actions = new OperatorActions(jdbi, barrier, clock, logGrew);
        Inventory inventory = new Inventory(jdbi, clock);
        return List.of(Console.standard(pages, sessions, staff, actions, inventory, clock, monitor),
                new AdminApi(new ConsoleAccess(sessions, staff), actions, inventory));
    }
}
