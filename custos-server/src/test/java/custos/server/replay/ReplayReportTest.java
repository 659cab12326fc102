package custos.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import custos.compliance.PartnerPeriod;
import custos.compliance.PeriodReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplayReportTest {

    /** The README quotes the table; reasons with equal counts must not come out in a different order per run. */
    @Test
    void reasonsWithEqualCountsAreListedByNameSoTheTableIsTheSameOnEveryRun() {
        PartnerTally t = new PartnerTally("quizspark");
        TreeMap<String, Long> denied = new TreeMap<>(Map.of("SETTINGS_FORBID", 2L, "RATE_LIMITED", 1L, "NO_CONSENT", 1L,
                "CONSENT_REVOKED", 1L, "AGREEMENT_EXPIRED", 1L, "SCOPE_NOT_CONSENTED", 1L, "NOT_FRIENDS", 1L));
        PartnerPeriod p = new PartnerPeriod("quizspark", 9, 7, denied, 7, 21, 3, 0, List.of());
        PeriodReport report = new PeriodReport(Instant.EPOCH, Instant.EPOCH.plusSeconds(1), null, List.of(p), p,
                List.of(), 9, Duration.ZERO);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReplayReport.print(Map.of("quizspark", t), report, Set.of("quizspark"), 0,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("| quizspark | 9 | 7 | 2: SETTINGS_FORBID 2, "
                + "AGREEMENT_EXPIRED 1, CONSENT_REVOKED 1, NOT_FRIENDS 1, NO_CONSENT 1, RATE_LIMITED 1, SCOPE_NOT_CONSENTED 1 |");
    }
}
