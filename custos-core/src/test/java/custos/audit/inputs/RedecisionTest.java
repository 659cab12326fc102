package custos.audit.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedecisionTest {
    private static final Instant WITHDRAWN = Inputs.T0.plusSeconds(86_400);

    private static List<Redecision.IndexedInput> world() {
        return new ArrayList<>(List.of(new Redecision.IndexedInput(0, Inputs.partnerSnapshot()),
                new Redecision.IndexedInput(1, Inputs.aliceSnapshot()), new Redecision.IndexedInput(2, Inputs.bobSnapshot())));
    }

    private static Redecision.IndexedInput withdrawal(long seq, long index) {
        return new Redecision.IndexedInput(index, new DecisionInput.PersonInputs(seq, WITHDRAWN, "consent_withdrawn", 1,
                Inputs.ALICE, List.of(Inputs.consent(WITHDRAWN)), List.of(), null));
    }

    @Test
    void allowsOnALiveConsentAreJustified() {
        Redecision.Result r = Redecision.run(world(), List.of(
                new Redecision.IndexedAccess(5, Inputs.allow(Inputs.ALICE, Inputs.T0.plusSeconds(60), 0)),
                new Redecision.IndexedAccess(6, Inputs.allow(Inputs.BOB, Inputs.T0.plusSeconds(60), 0))));
        assertThat(r.clean()).as(r.toString()).isTrue();
        assertThat(r.allows()).isEqualTo(2);
    }

    @Test
    void anAllowAfterTheConsentWasWithdrawnIsUnjustified() {
        List<Redecision.IndexedInput> inputs = world();
        inputs.add(withdrawal(10, 7));
        Redecision.Result r = Redecision.run(inputs, List.of(
                new Redecision.IndexedAccess(8, Inputs.allow(Inputs.ALICE, WITHDRAWN.plusSeconds(1), 10))));
        assertThat(r.unjustified()).singleElement().satisfies(u -> {
            assertThat(u.index()).isEqualTo(8);
            assertThat(u.reasons()).contains("CONSENT_REVOKED");
        });
    }

    @Test
    void anAllowDecidedBeforeTheWithdrawalWasAppliedIsJudgedOnWhatWasApplied() {
        List<Redecision.IndexedInput> inputs = world();
        inputs.add(withdrawal(10, 7));
        Redecision.Result r = Redecision.run(inputs, List.of(
                new Redecision.IndexedAccess(6, Inputs.allow(Inputs.ALICE, WITHDRAWN.plusSeconds(1), 9)),
                new Redecision.IndexedAccess(9, Inputs.allow(Inputs.ALICE, WITHDRAWN.minusSeconds(1), 10))));
        assertThat(r.clean()).as(r.toString()).isTrue();
    }

    @Test
    void aLeftOutLinkAndAPersonWithoutInputsAreMissingInputs() {
        List<Redecision.IndexedInput> inputs = world();
        inputs.remove(1); // Alice's snapshot: her withdrawal names it as its previous entry
        inputs.add(withdrawal(10, 7));
        Redecision.Result r = Redecision.run(inputs, List.of(
                new Redecision.IndexedAccess(8, Inputs.allow(Inputs.ALICE, Inputs.T0.plusSeconds(60), 5))));
        assertThat(r.missing()).extracting(Redecision.Missing::index).containsExactly(7L, 8L);
        assertThat(r.missing().get(0).what()).contains("previous input entry 1");
        assertThat(r.missing().get(1).what()).contains("person " + Inputs.ALICE);
        assertThat(r.unjustified()).extracting(Redecision.Unjustified::index).containsExactly(8L);
    }

    @Test
    void anEntryCitingNoInputsIsReportedNotReDecided() {
        Redecision.Result r = Redecision.run(world(), List.of(
                new Redecision.IndexedAccess(3, Inputs.allow(Inputs.ALICE, Inputs.T0.plusSeconds(60), -1))));
        assertThat(r.uncited()).isEqualTo(1);
        assertThat(r.missing()).singleElement().extracting(Redecision.Missing::what).asString().contains("names no committed inputs");
    }

    @Test
    void theNewestInputAboutAPersonCannotBeLeftOutOfABundle() {
        List<Redecision.IndexedInput> inputs = world();
        inputs.add(withdrawal(10, 7));
        // A gateway that ignored the withdrawal it had applied: its entry cites Alice at the withdrawal's sequence.
        var forged = Inputs.allow(Inputs.ALICE, WITHDRAWN.plusSeconds(1), 10).citing(10, cites(10));
        assertThat(Redecision.run(inputs, List.of(new Redecision.IndexedAccess(8, forged))).unjustified())
                .extracting(Redecision.Unjustified::index).containsExactly(8L);

        inputs.remove(inputs.size() - 1); // the operator leaves the withdrawal out: nothing later names it but the entry
        Redecision.Result r = Redecision.run(inputs, List.of(new Redecision.IndexedAccess(8, forged)));
        assertThat(r.missing()).singleElement().satisfies(m -> {
            assertThat(m.index()).isEqualTo(8);
            assertThat(m.what()).contains("person " + Inputs.ALICE).contains("sequence 10");
        });
    }

    @Test
    void aSnapshotTakenAtOrAfterTheCitedChangeCoversIt() {
        List<Redecision.IndexedInput> inputs = new ArrayList<>(List.of(
                new Redecision.IndexedInput(0, new DecisionInput.PartnerInputs(12, Inputs.T0, "snapshot", -1, Inputs.partner())),
                new Redecision.IndexedInput(1, new DecisionInput.PersonInputs(12, Inputs.T0, "snapshot", -1, Inputs.ALICE,
                        List.of(Inputs.consent(null)), List.of(Inputs.settings(Inputs.ALICE)), new long[] {Inputs.BOB}))));
        var access = Inputs.allow(Inputs.ALICE, Inputs.T0.plusSeconds(60), 12).citing(12, cites(9));
        assertThat(Redecision.run(inputs, List.of(new Redecision.IndexedAccess(5, access))).clean()).isTrue();
        var later = Inputs.allow(Inputs.ALICE, Inputs.T0.plusSeconds(60), 14).citing(14, cites(14));
        assertThat(Redecision.run(inputs, List.of(new Redecision.IndexedAccess(5, later))).missing()).hasSize(1);
    }

    @Test
    void aCoSubjectReleasedAgainstTheirOwnSettingsIsAnUnjustifiedAllow() {
        List<Redecision.IndexedInput> inputs = world();
        // Bob stops letting his friends' partners reach his contacts, at sequence 12.
        var settings = Inputs.settings(Inputs.BOB);
        var categories = new java.util.EnumMap<>(settings.categories());
        categories.put(custos.data.DataCategory.CONTACTS, new custos.people.CategorySetting(custos.people.Visibility.FRIENDS, true, false));
        var closed = new custos.people.PrivacySettings(Inputs.BOB, 2, Inputs.T0.plusSeconds(100), categories);
        inputs.add(new Redecision.IndexedInput(9, new DecisionInput.PersonInputs(12, Inputs.T0.plusSeconds(100), "settings", 2,
                Inputs.BOB, List.of(), List.of(closed), null)));
        var before = released(Inputs.T0.plusSeconds(60), 0, 0);
        var after = released(Inputs.T0.plusSeconds(200), 12, 12);

        Redecision.Result r = Redecision.run(inputs, List.of(new Redecision.IndexedAccess(5, before),
                new Redecision.IndexedAccess(10, after)));
        assertThat(r.missing()).isEmpty();
        assertThat(r.unjustified()).singleElement().satisfies(u -> {
            assertThat(u.index()).isEqualTo(10);
            assertThat(u.reasons()).containsExactly("co-subject " + Inputs.BOB + ": FRIEND_SETTINGS_FORBID");
        });
    }

    /** Alice's contacts page, Bob's part released with it, citing Bob at {@code bobSeq}. */
    private static custos.audit.AccessEvent released(Instant at, long seq, long bobSeq) {
        var e = Inputs.allow(Inputs.ALICE, at, seq);
        var withBob = new custos.audit.AccessEvent(e.id(), e.at(), e.partnerId(), e.clientId(), e.purpose(), e.scope(), e.actor(),
                e.subject(), List.of(Inputs.BOB), e.outcome(), e.reasons(), e.basis(), e.records(), e.fields(), seq);
        return withBob.citing(seq, new custos.audit.InputCitations(0, List.of(
                new custos.audit.InputCitations.Cited(Inputs.ALICE, 0), new custos.audit.InputCitations.Cited(Inputs.BOB, bobSeq))));
    }

    /** Citations of the partner's snapshot and of Alice at {@code aliceSeq}. */
    private static custos.audit.InputCitations cites(long aliceSeq) {
        return new custos.audit.InputCitations(0, List.of(new custos.audit.InputCitations.Cited(Inputs.ALICE, aliceSeq)));
    }

    @Test
    void aCoSubjectWhoseKeyWasErasedIsNotedNotTakenForAMissingInputOrAnUnjustifiedAllow() {
        List<Redecision.IndexedInput> inputs = world();
        inputs.remove(2); // Bob's snapshot: sealed under his key, which was erased, so the bundle withholds it
        var page = released(Inputs.T0.plusSeconds(60), 0, 0);
        Redecision.Result reported = Redecision.run(inputs, List.of(new Redecision.IndexedAccess(5, page)));
        assertThat(reported.missing()).isNotEmpty();

        Redecision.Result noted = Redecision.run(inputs, List.of(new Redecision.IndexedAccess(5, page)), java.util.Set.of(Inputs.BOB));
        assertThat(noted.clean()).as(noted.toString()).isTrue();
        assertThat(noted.erased()).extracting(Redecision.Missing::what)
                .anyMatch(w -> w.contains("co-subject " + Inputs.BOB + " was erased"));
    }
}
