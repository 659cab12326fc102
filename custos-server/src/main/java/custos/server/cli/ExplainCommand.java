package custos.server.cli;

import custos.partner.PartnerEntry;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.Explanation;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.policy.Scope;
import custos.server.policy.PolicyLoader;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custos explain}: what the engine would decide for one request, and why, on the store's current state. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Decide one request on the store's current state and print the decision with every reason.")
public final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--partner", required = true, description = "Partner slug (e.g. reelhouse) or id.")
    String partner;

    @Option(names = "--person", required = true, description = "The person acting (who granted the token).")
    long person;

    @Option(names = "--subject", description = "Whose data is reached (default: the person; else one of their friends).")
    Long subject;

    @Option(names = "--scope", required = true, description = "category:operation, e.g. messages:read.")
    String scope;

    @Option(names = "--purpose", required = true, description = "Purpose code, e.g. recommend-to-friends.")
    String purpose;

    @Option(names = "--at", description = "ISO-8601 instant to decide at (default: now), e.g. 2014-06-01T12:00:00Z.")
    String at;

    @Option(names = "--data", defaultValue = "data",
            description = "Data folder of the embedded store (default: ${DEFAULT-VALUE}); ignored when CUSTOS_DB_URL is set.")
    Path data;

    @Override
    public Integer call() {
        Scope parsedScope = Scope.parse(scope);
        Instant when;
        try {
            when = at == null ? Instant.now() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at must be an ISO-8601 instant like 2014-06-01T12:00:00Z, got: " + at);
        }
        try (Database db = Database.open(DbConfig.fromEnvironment(data))) {
            var partners = new JdbiPartnerStore(db.jdbi());
            long partnerId = resolve(partners);
            PolicyView view = new PolicyLoader(db.jdbi(), partners, new JdbiConsentStore(db.jdbi()),
                    new JdbiSettingsStore(db.jdbi()), new JdbiPolicyChangeFeed(db.jdbi())).load();
            DecisionRequest request = new DecisionRequest(partnerId, "explain", purpose, person,
                    subject == null ? person : subject, parsedScope, when, null);
            Decision decision = new DecisionEngine(view, RateLimiter.UNLIMITED).decide(request);
            System.out.print(Explanation.render(request, decision));
        }
        return 0;
    }

    private long resolve(JdbiPartnerStore partners) {
        if (partner.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(partner);
        }
        return partners.bySlug(partner).map(PartnerEntry::partner).map(p -> p.id())
                .orElseThrow(() -> new IllegalArgumentException("no partner with slug " + partner));
    }
}
