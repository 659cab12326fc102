package custos.server.compliance;

import custos.server.store.Database;
import custos.server.store.StoreLocation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos agreement recertify}: records that an operator reviewed an agreement; lifts a suspension. */
@Command(name = "recertify", mixinStandardHelpOptions = true,
        description = "Record a recertification of an agreement: sets its next due date, lifts a suspension for"
                + " want of recertification on every instance.")
public final class RecertifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--agreement", required = true, description = "The agreement's id.")
    long agreement;

    @Option(names = "--by", required = true, description = "Who vouches for the agreement.")
    String by;

    @Option(names = "--note", defaultValue = "", description = "What was reviewed.")
    String note;

    @Option(names = "--every", defaultValue = "365",
            description = "Days until the next recertification, 90 to 365 (default: ${DEFAULT-VALUE}).")
    int every;

    @Mixin
    StoreLocation store;

    @Override
    public Integer call() {
        custos.compliance.Recertification.check(by, every);
        try (Database db = store.open()) {
            LocalDate next = new Compliance(db.jdbi()).recertification().recertify(agreement, Instant.now(), by, note,
                    every);
            spec.commandLine().getOut().println("custos: agreement " + agreement + " recertified by " + by
                    + "; next due " + next);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}

