package custos.compliance;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one partner's legacy traffic exposed: lines read, how many Custos would have allowed and denied, the denials
 * by reason, and for the denied lines the distinct people exposed, the fields exposed, and what those people had set
 * (a statement such as "settings keep partners away from contacts" with the number of distinct people it held for).
 */
public record PartnerExposure(String partner, long lines, long wouldAllow, long wouldDeny,
                              SortedMap<String, Long> deniedBy, long peopleExposed, long fieldsExposed,
                              SortedMap<String, Long> peopleHadSet) {
    public PartnerExposure {
        deniedBy = new TreeMap<>(deniedBy);
        peopleHadSet = new TreeMap<>(peopleHadSet);
    }
}
