package custos.server.cli;

import custos.server.console.StaffAccounts;
import custos.server.console.StaffCredentials;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos operator passwd|revoke}: an operator sets a staff member's password or revokes the login (its bearer
 * credentials are deleted and its console sessions end). Both are operator actions, entries of the audit log naming
 * {@code --as} (or {@code cli:<user>}) as the actor.
 */
final class StaffCommands {
    private StaffCommands() {}

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a staff login's password (read from standard input, one line, or prompted for); its sessions end.")
    static final class Passwd implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminCommands.Store store;
        @Option(names = "--login", required = true, description = "The staff login whose password is set.")
        String login;

        @Override
        public Integer call() throws IOException {
            String password = AdminCommands.OperatorAdd.password();
            return store.act(spec, (db, actor, actions) -> new StaffCredentials(db.jdbi(),
                    new StaffAccounts(db.jdbi(), Clock.systemUTC()), actions, Clock.systemUTC()).setPassword(actor, login, password));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a staff login: it can no longer sign in, its bearer credentials are deleted, its sessions end.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminCommands.Store store;
        @Option(names = "--login", required = true, description = "The staff login to revoke.")
        String login;

        @Override
        public Integer call() {
            return store.act(spec, (db, actor, actions) -> new StaffCredentials(db.jdbi(),
                    new StaffAccounts(db.jdbi(), Clock.systemUTC()), actions, Clock.systemUTC()).revoke(actor, login));
        }
    }
}
