package custos.partner;

import java.util.List;

/** A partner with all its agreements (in force or not) and their purposes: what the decision engine loads. */
public record PartnerEntry(Partner partner, List<Agreement> agreements) {
    public PartnerEntry {
        agreements = List.copyOf(agreements);
    }
}
