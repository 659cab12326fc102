package custos.audit.inputs;

import custos.audit.AccessEvent;
import custos.consent.Consent;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.consent.ConsentStateChange;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.policy.DecisionBasis;
import custos.data.Operation;
import custos.policy.Outcome;
import custos.data.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A hand-made world of committed inputs: one partner with one agreement, Alice who consented, Bob her friend. */
final class Inputs {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final long PARTNER = 7;
    static final long ALICE = 100;
    static final long BOB = 200;
    static final String PURPOSE = "sync";
    static final Scope CONTACTS_READ = Scope.of(DataCategory.CONTACTS, Operation.READ);

    private Inputs() {}

    static PartnerEntry partner() {
        Purpose purpose = new Purpose(11, 21, PURPOSE, "syncs contacts", Set.of(CONTACTS_READ), true, null);
        Agreement agreement = new Agreement(21, PARTNER, 1, T0, null, LocalDate.of(2030, 1, 1), Duration.ofDays(365), 1000,
                List.of(purpose));
        return new PartnerEntry(new Partner(PARTNER, "p", "P", PartnerKind.APP, PartnerStatus.ACTIVE, T0), List.of(agreement));
    }

    static Consent consent(Instant withdrawn) {
        List<ConsentStateChange> history = withdrawn == null ? List.of(new ConsentStateChange(ConsentState.GIVEN, T0))
                : List.of(new ConsentStateChange(ConsentState.GIVEN, T0), new ConsentStateChange(ConsentState.WITHDRAWN, withdrawn));
        return new Consent(31, "rec-31", ALICE, PARTNER, Set.of(PURPOSE), Set.of(CONTACTS_READ), true, "n1",
                ConsentMethod.CONSENT_SCREEN, T0, null, withdrawn, withdrawn == null ? 1 : 2, history);
    }

    static PrivacySettings settings(long person) {
        Map<DataCategory, CategorySetting> m = new EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) {
            m.put(c, new CategorySetting(Visibility.FRIENDS, true, true));
        }
        return new PrivacySettings(person, 1, T0, m);
    }

    static DecisionInput.PersonInputs aliceSnapshot() {
        return new DecisionInput.PersonInputs(0, T0, "snapshot", -1, ALICE, List.of(consent(null)), List.of(settings(ALICE)),
                new long[] {BOB});
    }

    static DecisionInput.PersonInputs bobSnapshot() {
        return new DecisionInput.PersonInputs(0, T0, "snapshot", -1, BOB, List.of(), List.of(settings(BOB)), new long[] {ALICE});
    }

    static DecisionInput.PartnerInputs partnerSnapshot() {
        return new DecisionInput.PartnerInputs(0, T0, "snapshot", -1, partner());
    }

    static AccessEvent allow(long subject, Instant at, long seq) {
        return new AccessEvent(UUID.randomUUID(), at, PARTNER, "client", PURPOSE, CONTACTS_READ.toString(), ALICE, subject,
                List.of(), Outcome.ALLOW, List.of(), DecisionBasis.NONE, 1, List.of("contacts"), seq);
    }
}
