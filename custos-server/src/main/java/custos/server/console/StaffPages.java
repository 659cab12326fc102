package custos.server.console;

import java.util.List;

/** The models of the console's pages about staff credentials and the log's integrity. */
public final class StaffPages {
    private StaffPages() {}

    /** The form a staff member changes their own password with. */
    public record Password(ConsoleView.Chrome chrome) {}

    /** The log-integrity panel: the monitor's latest round, the checkpoints it accepted, the failures it found. */
    public record LogIntegrity(ConsoleView.Chrome chrome, LogMonitor.State state, List<LogMonitor.Seen> seen,
                               List<LogMonitor.Failure> failures) {}
}
