package custos.policy;

import custos.data.Scope;
import custos.data.DataCategory;
import custos.data.Operation;
import custos.consent.Consent;
import custos.consent.ConsentMethod;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for a hand-made world: one partner, one agreement, one person, the pieces a test varies. */
final class TinyWorld {
    static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    static final long PARTNER = 7;
    static final long ALICE = 100;
    static final long BOB = 200;
    static final String PURPOSE = "sync";
    static final Scope MESSAGES_READ = Scope.of(DataCategory.MESSAGES, Operation.READ);
    static final Scope CONTACTS_READ = Scope.of(DataCategory.CONTACTS, Operation.READ);

    private TinyWorld() {}

    static Purpose purpose(Set<Scope> scopes, boolean friendsData, Instant retiredAt) {
        return new Purpose(11, 21, PURPOSE, "syncs things", scopes, friendsData, retiredAt);
    }

    static Agreement agreement(Instant from, Instant until, Purpose... purposes) {
        return new Agreement(21, PARTNER, 3, from, until, LocalDate.of(2030, 1, 1), Duration.ofDays(365), 1000,
                List.of(purposes));
    }

    static PartnerEntry partner(PartnerStatus status, PartnerKind kind, Agreement... agreements) {
        return new PartnerEntry(new Partner(PARTNER, "p", "P", kind, status, T0), List.of(agreements));
    }

    static PartnerEntry activePartner(boolean friendsData) {
        return partner(PartnerStatus.ACTIVE, PartnerKind.APP,
                agreement(T0, null, purpose(Set.of(MESSAGES_READ, CONTACTS_READ), friendsData, null)));
    }

    static Consent consent(long id, long person, Set<Scope> scopes, boolean friendsData, Instant given, Instant until,
                           Instant withdrawn) {
        return new Consent(id, "rec-" + id, person, PARTNER, Set.of(PURPOSE), scopes, friendsData, "n1",
                ConsentMethod.values()[0], given, until, withdrawn, 1, List.of());
    }

    static Consent liveConsent(long person, boolean friendsData) {
        return consent(31 + person, person, Set.of(MESSAGES_READ, CONTACTS_READ), friendsData, T0, null, null);
    }

    static PrivacySettings settings(long person, int version, Instant from, boolean partners, boolean friendsPartners) {
        Map<DataCategory, CategorySetting> m = new EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) {
            m.put(c, new CategorySetting(Visibility.FRIENDS, partners, friendsPartners));
        }
        return new PrivacySettings(person, version, from, m);
    }

    /** Alice consented (with friends' data), Bob lets friends' partners in, they are friends: everything allowed. */
    static PolicyView openWorld() {
        PolicyView view = new PolicyView(16);
        view.putPartner(activePartner(true));
        view.putConsent(liveConsent(ALICE, true));
        view.putSettings(settings(ALICE, 1, T0, true, true));
        view.putSettings(settings(BOB, 1, T0, true, true));
        view.addFriendship(ALICE, BOB);
        return view;
    }

    static DecisionRequest own(Scope scope) {
        return new DecisionRequest(PARTNER, "client", PURPOSE, ALICE, ALICE, scope, NOW, null);
    }

    static DecisionRequest ofFriend(Scope scope) {
        return new DecisionRequest(PARTNER, "client", PURPOSE, ALICE, BOB, scope, NOW, null);
    }

    static Decision decide(PolicyView view, DecisionRequest request) {
        return new DecisionEngine(view, RateLimiter.UNLIMITED).decide(request);
    }
}
