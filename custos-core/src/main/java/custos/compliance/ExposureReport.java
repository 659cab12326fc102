package custos.compliance;

import java.time.Instant;
import java.util.List;

/** The exposure assessment of a legacy log: per partner (most denials first), the total, and the log's time span. */
public record ExposureReport(String source, Instant first, Instant last, List<PartnerExposure> partners,
                             PartnerExposure total) {
    public ExposureReport {
        partners = List.copyOf(partners);
    }
}
