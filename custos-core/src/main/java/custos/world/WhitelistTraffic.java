package custos.world;

import custos.compliance.LegacyAccess;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.data.Operation;
import custos.data.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * The old whitelist's traffic over the reference year (the year before {@link ReferenceWorld#AS_OF}), made from the
 * world deterministically: partners call for every scope their purposes ever named, retired or not, on people and on
 * their friends, and the whitelist returned every field of every record, with no consent or settings check. It is
 * the legacy log the demo's exposure assessment reads (docs/legacy-log-format.md).
 */
public final class WhitelistTraffic {
    private WhitelistTraffic() {}

    /**
     * {@code perDay} lines a day for 365 days, over people {@code 1..people}; {@code friendsOf} gives a person's
     * friends (a friend's data was reached on the person's login 40% of the time the purpose reached friends).
     */
    public static List<LegacyAccess> year(List<PartnerEntry> partners, long people, LongFunction<long[]> friendsOf,
                                          int perDay, long seed) {
        List<PartnerEntry> weighted = new ArrayList<>();
        List<String> archetypes = java.util.Arrays.stream(Archetype.values()).map(Archetype::slug).toList();
        for (PartnerEntry p : partners) {
            if (p.partner().status() == PartnerStatus.RETIRED || p.agreements().stream().allMatch(a -> a.purposes().isEmpty())) {
                continue;
            }
            int weight = archetypes.contains(p.partner().slug()) ? 6 : 1;
            for (int w = 0; w < weight; w++) {
                weighted.add(p);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        Instant start = ReferenceWorld.AS_OF.minus(Duration.ofDays(365));
        List<LegacyAccess> out = new ArrayList<>();
        long line = 1;
        for (int day = 0; day < 365; day++) {
            for (int i = 0; i < perDay; i++) {
                Instant at = start.plus(Duration.ofDays(day)).plusSeconds(8 * 3600 + (long) i * 50_000 / perDay);
                PartnerEntry p = weighted.get(random.nextInt(weighted.size()));
                List<Purpose> purposes = p.agreements().stream().flatMap(a -> a.purposes().stream()).toList();
                Purpose purpose = purposes.get(random.nextInt(purposes.size()));
                List<Scope> scopes = purpose.scopes().stream().sorted(Comparator.comparing(Scope::toString)).toList();
                Scope scope = scopes.get(random.nextInt(scopes.size()));
                long person = 1 + random.nextLong(people);
                long subject = person;
                long[] friends = friendsOf.apply(person);
                if (friends.length > 0 && scope.operation() == Operation.READ && random.nextInt(100) < 40) {
                    subject = friends[random.nextInt(friends.length)];
                }
                out.add(new LegacyAccess(line++, at, p.partner().slug(), subject, person, scope.category(),
                        scope.operation(), scope.category().fields(), null));
            }
        }
        return out;
    }
}
