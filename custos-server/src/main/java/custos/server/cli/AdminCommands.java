package custos.server.cli;

import custos.server.console.OperatorActions;
import custos.server.console.Staff;
import custos.server.console.StaffAccounts;
import custos.server.console.StaffRole;
import custos.server.policy.ChangeBarrier;
import custos.server.store.Database;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.StoreLocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The operator actions as commands ({@code custos operator|partner|purpose|agreement ...}), against the configured
 * store like the other commands, through the same {@link OperatorActions} as the console and the admin API: each is
 * an entry of the audit log and effective on every running instance when the command returns. The actor logged is
 * {@code --as} (an operator login) or {@code cli:<user>}: whoever runs these holds the store's own credentials.
 */
public final class AdminCommands {
    private AdminCommands() {}

    /** Where the store is and who acts. */
    static final class Store {
        @Mixin
        StoreLocation store;

        @Option(names = "--as", description = "The operator login to log as the actor (default: cli:<your user name>).")
        String as;

        /** Opens the store, runs {@code action} with the actor and the actions, prints what it did. */
        int act(CommandSpec spec, java.util.function.BiFunction<Staff, OperatorActions, OperatorActions.Done> action) {
            return act(spec, (db, actor, actions) -> action.apply(actor, actions));
        }

        /** As {@link #act(CommandSpec, java.util.function.BiFunction)}, for an action that needs the store itself. */
        int act(CommandSpec spec, StoreAction action) {
            try (Database db = store.open()) {
                Staff actor = as == null ? new Staff(0, "cli:" + System.getProperty("user.name", "unknown"), StaffRole.OPERATOR)
                        : new StaffAccounts(db.jdbi(), Clock.systemUTC()).byLogin(as)
                                .orElseThrow(() -> new IllegalArgumentException("no staff login " + as));
                OperatorActions actions = new OperatorActions(db.jdbi(),
                        new ChangeBarrier(db.jdbi(), new JdbiPolicyChangeFeed(db.jdbi())), Clock.systemUTC(), () -> { });
                OperatorActions.Done done = action.apply(db, actor, actions);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%s %s: log entry %d%n", done.action().action(), done.action().target(), done.logIndex());
                done.result().forEach((k, v) -> out.printf("  %s %s%n", k, v));
                out.flush();
                return 0;
            }
        }
    }

    /** An action given the open store, the actor and the operator actions. */
    interface StoreAction {
        OperatorActions.Done apply(Database db, Staff actor, OperatorActions actions);
    }

    static Instant instant(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a date (2026-01-01) or an instant (2026-01-01T00:00:00Z), got: " + text);
        }
    }

    @Command(name = "operator", mixinStandardHelpOptions = true, description = "The console's staff: operators and auditors.",
            subcommands = {OperatorAdd.class, OperatorToken.class, StaffCommands.Passwd.class, StaffCommands.Revoke.class})
    public static final class OperatorCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an operator or auditor; the password is read from standard input (one line) or prompted for.")
    static final class OperatorAdd implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--role", required = true, description = "operator (acts) or auditor (reads).")
        String role;
        @Option(names = "--login", required = true, description = "The staff login, e.g. ops-anna.")
        String login;
        @Mixin
        StoreLocation store;

        @Override
        public Integer call() throws IOException {
            StaffRole parsed = StaffRole.parse(role);
            String password = password();
            try (Database db = store.open()) {
                Staff staff = new StaffAccounts(db.jdbi(), Clock.systemUTC()).add(login, parsed, password);
                spec.commandLine().getOut().printf("added %s %s (id %d); sign in at /console/sign-in%n",
                        staff.role().name().toLowerCase(java.util.Locale.ROOT), staff.login(), staff.id());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }

        static String password() throws IOException {
            java.io.Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("the new password (12 to 72 bytes): ");
                return typed == null ? null : new String(typed);
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalArgumentException("no password on standard input");
            }
            return line;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Print a new bearer credential for a staff login, for scripts calling the admin API (valid 30 days).")
    static final class OperatorToken implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--login", required = true, description = "The staff login.")
        String login;
        @Mixin
        StoreLocation store;

        @Override
        public Integer call() {
            try (Database db = store.open()) {
                StaffAccounts accounts = new StaffAccounts(db.jdbi(), Clock.systemUTC());
                Staff staff = accounts.byLogin(login).orElseThrow(() -> new IllegalArgumentException("no staff login " + login));
                spec.commandLine().getOut().println(accounts.issueToken(staff));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "partner", mixinStandardHelpOptions = true, description = "Register, suspend, reinstate partners; add clients, rotate secrets.",
            subcommands = {PartnerAdd.class, PartnerSuspend.class, PartnerReinstate.class, PartnerAddClient.class, PartnerRotateSecret.class})
    public static final class PartnerCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a partner.")
    static final class PartnerAdd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Option(names = "--slug", required = true, description = "Its stable handle, e.g. tunewave.") String slug;
        @Option(names = "--name", required = true, description = "Its name.") String name;
        @Option(names = "--kind", required = true, description = "app, device_maker, bank, retailer, search_engine, media, music, video, automaker or game.") String kind;

        @Override
        public Integer call() {
            return store.act(spec, (actor, a) -> a.registerPartner(actor, slug, name, kind));
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspend a partner: all its access stops on every instance.")
    static final class PartnerSuspend implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Parameters(index = "0", description = "The partner's slug.") String slug;

        @Override
        public Integer call() {
            return store.act(spec, (actor, a) -> a.suspend(actor, slug));
        }
    }

    @Command(name = "reinstate", mixinStandardHelpOptions = true, description = "Reinstate a suspended partner.")
    static final class PartnerReinstate implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Parameters(index = "0", description = "The partner's slug.") String slug;

        @Override
        public Integer call() {
            return store.act(spec, (actor, a) -> a.reinstate(actor, slug));
        }
    }

    @Command(name = "add-client", mixinStandardHelpOptions = true, description = "Add an OAuth client; prints its secret once.")
    static final class PartnerAddClient implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Parameters(index = "0", description = "The partner's slug.") String slug;
        @Option(names = "--redirect-uri", required = true, description = "A redirect URI (repeatable).") List<String> uris;

        @Override
        public Integer call() {
            return store.act(spec, (actor, a) -> a.addClient(actor, slug, uris));
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true, description = "Give a client a new secret (the old one stops working); prints it once.")
    static final class PartnerRotateSecret implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Option(names = "--client", required = true, description = "The client id.") String client;

        @Override
        public Integer call() {
            return store.act(spec, (actor, a) -> a.rotateSecret(actor, client));
        }
    }

    @Command(name = "purpose", mixinStandardHelpOptions = true, description = "Add or retire a purpose.",
            subcommands = {PurposeAdd.class, PurposeRetire.class})
    public static final class PurposeCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a purpose to an agreement.")
    static final class PurposeAdd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Option(names = "--agreement", required = true, description = "The agreement's id.") long agreement;
        @Option(names = "--code", required = true, description = "The purpose code, e.g. share-in-messages.") String code;
        @Option(names = "--description", required = true, description = "What the feature does, in words.") String description;
        @Option(names = "--scope", required = true, description = "A scope it may ask for (repeatable), e.g. messages:read.") List<String> scopes;
        @Option(names = "--friends-data", description = "It may reach the consenting person's friends' data.") boolean friends;

        @Override
        public Integer call() {
            return store.act(spec, (actor, a) -> a.addPurpose(actor, agreement, code, description, scopes, friends));
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = "Retire a purpose (named by --id, or by --partner and --code): every request for it is denied PURPOSE_RETIRED.")
    static final class PurposeRetire implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Option(names = "--id", description = "The purpose's id.") Long id;
        @Option(names = "--partner", description = "The partner's slug (with --code).") String partner;
        @Option(names = "--code", description = "The purpose code (with --partner).") String code;
        @Option(names = "--at", description = "When (default: now), a date or an instant.") String at;

        @Override
        public Integer call() {
            if ((id == null) == (partner == null || code == null)) {
                throw new IllegalArgumentException("name the purpose by --id, or by --partner and --code");
            }
            Instant when = instant(at, "--at");
            return store.act(spec, (actor, a) -> a.retirePurpose(actor, id != null ? id : a.purposeId(partner, code), when));
        }
    }

    @Command(name = "agreement", mixinStandardHelpOptions = true, description = "Add, end or recertify an agreement.",
            subcommands = {AgreementAdd.class, AgreementEnd.class, custos.server.compliance.RecertifyCommand.class})
    public static final class AgreementCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an agreement with a partner.")
    static final class AgreementAdd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Option(names = "--partner", required = true, description = "The partner's slug.") String partner;
        @Option(names = "--from", description = "In force from (default: now).") String from;
        @Option(names = "--until", description = "In force until (default: open-ended).") String until;
        @Option(names = "--consent-days", defaultValue = "365", description = "How long a consent under it lasts (default: ${DEFAULT-VALUE}).") long consentDays;
        @Option(names = "--daily-people", defaultValue = "10000", description = "People per day before the bulk guard throttles (default: ${DEFAULT-VALUE}).") long dailyPeople;

        @Override
        public Integer call() {
            Instant f = instant(from, "--from");
            Instant u = instant(until, "--until");
            return store.act(spec, (actor, a) -> a.addAgreement(actor, partner, f, u, Duration.ofDays(consentDays), dailyPeople));
        }
    }

    @Command(name = "end", mixinStandardHelpOptions = true, description = "End an agreement: every purpose it serves stops.")
    static final class AgreementEnd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Store store;
        @Option(names = "--id", required = true, description = "The agreement's id.") long id;
        @Option(names = "--at", description = "When (default: now), a date or an instant.") String at;

        @Override
        public Integer call() {
            Instant when = instant(at, "--at");
            return store.act(spec, (actor, a) -> a.endAgreement(actor, id, when));
        }
    }
}
