package custos.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the log says about a period, partner by partner (every partner with an entry, by requests then slug), their
 * total (people counted once across partners), the findings of the period, and how long it took to read.
 */
public record PeriodReport(Instant from, Instant until, String partnerFilter, List<PartnerPeriod> partners,
                           PartnerPeriod total, List<Finding> findings, long entries, Duration took) {
    public PeriodReport {
        partners = List.copyOf(partners);
        findings = List.copyOf(findings);
    }
}
