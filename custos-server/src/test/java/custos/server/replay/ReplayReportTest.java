package custos.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayReportTest {

    /** The README quotes the table; reasons with equal counts must not come out in a different order per run. */
    @Test
    void reasonsWithEqualCountsAreListedByNameSoTheTableIsTheSameOnEveryRun() {
        PartnerTally t = new PartnerTally("quizspark");
        t.requests = 9;
        t.denied(List.of("SETTINGS_FORBID", "RATE_LIMITED", "NO_CONSENT", "CONSENT_REVOKED", "AGREEMENT_EXPIRED",
                "SCOPE_NOT_CONSENTED", "NOT_FRIENDS"));
        t.denied(List.of("SETTINGS_FORBID"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReplayReport.print(Map.of("quizspark", t), Set.of("quizspark"), 0, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("SETTINGS_FORBID 2, AGREEMENT_EXPIRED 1, "
                + "CONSENT_REVOKED 1, NOT_FRIENDS 1, NO_CONSENT 1, RATE_LIMITED 1, SCOPE_NOT_CONSENTED 1 |");
    }
}
