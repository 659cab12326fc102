package custos.audit.inputs;

import custos.consent.Consent;
import custos.partner.PartnerEntry;
import custos.people.PrivacySettings;
import java.time.Instant;
import java.util.List;

/**
 * One committed decision input: the state a decision depends on after one change (or at the log's snapshot), as
 * its own log entry. {@code seq} is the policy change it records (a snapshot's is the feed position it was taken
 * at); {@code previous} is the log index of the previous input entry about the same person or partner, or -1, so an
 * auditor sees a chain with a link left out. Each entry holds whole records, never deltas: applying the entries in
 * (seq, index) order to an empty view rebuilds what the engine decided on.
 */
public sealed interface DecisionInput permits DecisionInput.PersonInputs, DecisionInput.PartnerInputs {
    long seq();

    Instant at();

    String change();

    long previous();

    /**
     * A person's inputs: the consent records and settings versions named (the snapshot names all of them) and, when
     * {@code friends} is non-null, the whole friend list. Sealed under the person's key, like their access events.
     */
    record PersonInputs(long seq, Instant at, String change, long previous, long personId, List<Consent> consents,
                        List<PrivacySettings> settings, long[] friends) implements DecisionInput {
        public PersonInputs {
            consents = List.copyOf(consents);
            settings = List.copyOf(settings);
            friends = friends == null ? null : friends.clone();
        }
    }

    /** A partner with all its agreements and purposes, after a change to any of them. Public: it names no person. */
    record PartnerInputs(long seq, Instant at, String change, long previous, PartnerEntry entry) implements DecisionInput {}
}
