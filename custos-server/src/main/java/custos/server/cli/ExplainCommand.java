package custos.server.cli;

import custos.partner.PartnerEntry;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.Explanation;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.data.Scope;
import custos.server.policy.PolicyLoader;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPeopleStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import custos.server.store.StoreLocation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos explain}: what the engine would decide for one request, and why, on the store's current state. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Decide one request on the store's current state and print the decision with every reason.")
public final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

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

    @Mixin
    StoreLocation store;

    @Override
    public Integer call() {
        Scope parsedScope = Scope.parse(scope);
        Instant when;
        try {
            when = at == null ? Instant.now() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at must be an ISO-8601 instant like 2014-06-01T12:00:00Z, got: " + at);
        }
        try (Database db = store.open()) {
            var partners = new JdbiPartnerStore(db.jdbi());
            List<PartnerEntry> all = partners.loadAll();
            long partnerId = resolve(all);
            // A typo is not a decision: the engine would deny it, which reads as if the store had said no.
            if (all.stream().flatMap(e -> e.agreements().stream()).flatMap(a -> a.purposes().stream())
                    .noneMatch(p -> p.code().equals(purpose))) {
                throw new IllegalArgumentException("unknown purpose " + purpose);
            }
            var people = new JdbiPeopleStore(db.jdbi());
            for (long id : subject == null ? new long[] {person} : new long[] {person, subject}) {
                if (people.person(id).isEmpty()) {
                    throw new IllegalArgumentException("unknown person " + id);
                }
            }
            PolicyView view = new PolicyLoader(db.jdbi(), partners, new JdbiConsentStore(db.jdbi()),
                    new JdbiSettingsStore(db.jdbi()), new JdbiPolicyChangeFeed(db.jdbi())).load();
            DecisionRequest request = new DecisionRequest(partnerId, "explain", purpose, person,
                    subject == null ? person : subject, parsedScope, when, null);
            Decision decision = new DecisionEngine(view, RateLimiter.UNLIMITED).decide(request);
            spec.commandLine().getOut().print(Explanation.render(request, decision));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private long resolve(List<PartnerEntry> partners) {
        boolean byId = !partner.isEmpty() && partner.chars().allMatch(Character::isDigit);
        return partners.stream().map(PartnerEntry::partner)
                .filter(p -> byId ? Long.toString(p.id()).equals(partner) : p.slug().equals(partner))
                .findFirst().map(p -> p.id())
                .orElseThrow(() -> new IllegalArgumentException("unknown partner " + partner));
    }
}
