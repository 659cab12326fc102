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
}
