package custos.audit.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.audit.EventCodec;
import custos.audit.LogEntryKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputCodecTest {

    @Test
    void aPersonsInputsDecodeToTheSameRecords() {
        DecisionInput.PersonInputs in = new DecisionInput.PersonInputs(42, Instant.ofEpochSecond(5, 6), "consent_withdrawn",
                17, Inputs.ALICE, List.of(Inputs.consent(Inputs.T0.plusSeconds(9))), List.of(Inputs.settings(Inputs.ALICE)),
                new long[] {3, Inputs.BOB});
        byte[] bytes = InputCodec.encode(in);
        assertThat(bytes[0]).isEqualTo((byte) LogEntryKind.PERSON_INPUTS_V1);
        assertThat(LogEntryKind.of(bytes)).isEqualTo(LogEntryKind.DECISION_INPUT);
        DecisionInput.PersonInputs back = (DecisionInput.PersonInputs) InputCodec.decode(bytes);
        assertThat(back.seq()).isEqualTo(42);
        assertThat(back.previous()).isEqualTo(17);
        assertThat(back.change()).isEqualTo("consent_withdrawn");
        assertThat(back.consents()).isEqualTo(in.consents());
        assertThat(back.settings()).isEqualTo(in.settings());
        assertThat(back.friends()).containsExactly(3, Inputs.BOB);
        assertThat(InputCodec.encode(back)).isEqualTo(bytes);
    }

    @Test
    void aPartnersInputsDecodeToTheSameEntryAndAreCodeEighteen() {
        DecisionInput.PartnerInputs in = Inputs.partnerSnapshot();
        byte[] bytes = InputCodec.encode(in);
        assertThat(bytes[0]).isEqualTo((byte) LogEntryKind.PARTNER_INPUTS_V1);
        assertThat(InputCodec.decode(bytes)).isEqualTo(in);
    }

    @Test
    void aPersonWithoutAFriendListIsNotAPersonWithNoFriends() {
        DecisionInput.PersonInputs none = new DecisionInput.PersonInputs(1, Inputs.T0, "settings", -1, Inputs.BOB, List.of(),
                List.of(Inputs.settings(Inputs.BOB)), null);
        assertThat(((DecisionInput.PersonInputs) InputCodec.decode(InputCodec.encode(none))).friends()).isNull();
        DecisionInput.PersonInputs empty = new DecisionInput.PersonInputs(1, Inputs.T0, "snapshot", -1, Inputs.BOB, List.of(),
                List.of(), new long[0]);
        assertThat(((DecisionInput.PersonInputs) InputCodec.decode(InputCodec.encode(empty))).friends()).isEmpty();
    }

    @Test
    void malformedBytesAreRefused() {
        byte[] good = InputCodec.encode(Inputs.aliceSnapshot());
        assertThatThrownBy(() -> InputCodec.decode(Arrays.copyOf(good, good.length - 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InputCodec.decode(Arrays.copyOf(good, good.length + 1))).hasMessageContaining("trailing");
        byte[] otherCode = good.clone();
        otherCode[0] = 16;
        assertThatThrownBy(() -> InputCodec.decode(otherCode)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAccessEntryCitingInputsIsVersionThreeAndOneCitingNoneStaysVersionTwo() {
        var event = Inputs.allow(Inputs.ALICE, Inputs.T0, 9);
        byte[] cites = EventCodec.encode(event);
        assertThat(cites[0]).isEqualTo((byte) 3);
        assertThat(EventCodec.decode(cites).policySeq()).isEqualTo(9);
        byte[] old = EventCodec.encode(event.citing(-1));
        assertThat(old[0]).isEqualTo((byte) 2);
        assertThat(old.length).isEqualTo(cites.length - 8);
        assertThat(Arrays.copyOfRange(cites, 1, old.length)).isEqualTo(Arrays.copyOfRange(old, 1, old.length));
        assertThat(EventCodec.decode(old).policySeq()).isEqualTo(-1);
    }

    @Test
    void anAccessEntryCitingEachSubjectIsVersionFourAndReadsBackExactly() {
        var cites = new custos.audit.InputCitations(5, List.of(new custos.audit.InputCitations.Cited(Inputs.BOB, -1),
                new custos.audit.InputCitations.Cited(Inputs.ALICE, 9)));
        var event = Inputs.allow(Inputs.ALICE, Inputs.T0, 9).citing(9, cites);
        byte[] v4 = EventCodec.encode(event);
        byte[] v3 = EventCodec.encode(event.citing(9));
        assertThat(v4[0]).isEqualTo((byte) 4);
        assertThat(v4.length).isEqualTo(v3.length + 8 + 4 + 2 * 16);
        assertThat(Arrays.copyOfRange(v4, 1, v3.length)).isEqualTo(Arrays.copyOfRange(v3, 1, v3.length));
        var back = EventCodec.decode(v4);
        assertThat(back).isEqualTo(event);
        assertThat(back.cites().people()).extracting(custos.audit.InputCitations.Cited::person).containsExactly(Inputs.ALICE, Inputs.BOB);

        byte[] unordered = v4.clone(); // swap the two people: the same citations in another order must not read
        System.arraycopy(v4, v3.length + 12, unordered, v3.length + 28, 16);
        System.arraycopy(v4, v3.length + 28, unordered, v3.length + 12, 16);
        assertThatThrownBy(() -> EventCodec.decode(unordered)).hasMessageContaining("ascending");
        byte[] belowNone = v4.clone();
        belowNone[v3.length] = (byte) 0xFF;
        belowNone[v3.length + 7] = (byte) 0xFE; // -2
        for (int i = 1; i < 7; i++) belowNone[v3.length + i] = (byte) 0xFF;
        assertThatThrownBy(() -> EventCodec.decode(belowNone)).hasMessageContaining("below -1");
    }
}
