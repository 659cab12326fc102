package custos.server.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.audit.CosignatureSigner;
import custos.audit.NoteSigner;
import custos.server.config.InvalidSettings;
import custos.server.config.Settings;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code log.witnesses}: comma-separated {@code URL VKEY} pairs, each checked, every mistake one line. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WitnessSettingTest {
    final String w1 = CosignatureSigner.generate("witness.test/w1").verifierKey();
    final String w2 = CosignatureSigner.generate("witness.test/w2").verifierKey();

    @Test
    void parsesUrlAndVkeyPairsAndDefaultsToNone() {
        Settings none = Settings.load(Map.of(), Map.of(), null);
        assertThat(none.get(Settings.LOG_WITNESSES)).isEmpty();
        Settings two = Settings.load(Map.of(), Map.of("CUSTOS_LOG_WITNESSES", "http://127.0.0.1:9001/ " + w1 + ", https://w2.example/tlog " + w2), null);
        assertThat(two.get(Settings.LOG_WITNESSES)).extracting(WitnessPeer::toString)
                .containsExactly("http://127.0.0.1:9001 " + w1, "https://w2.example/tlog " + w2);
    }

    @Test
    void refusesALogKeyAMissingKeyABadUrlAndDuplicates() {
        String logKey = NoteSigner.generate("custos.test/log").verifierKey();
        assertThatThrownBy(() -> Settings.load(Map.of("log.witnesses", "http://w " + logKey), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith("log.witnesses (flag): not a witness (cosignature/v1 Ed25519) verifier key: " + logKey));
        assertThatThrownBy(() -> Settings.load(Map.of("log.witnesses", "http://w"), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems())
                        .containsExactly("log.witnesses (flag): each witness is \"URL VKEY\", got \"http://w\""));
        assertThatThrownBy(() -> Settings.load(Map.of("log.witnesses", "ftp://w " + w1), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems())
                        .containsExactly("log.witnesses (flag): a witness URL is http(s)://host[:port][/prefix], got ftp://w"));
        assertThatThrownBy(() -> Settings.load(Map.of("log.witnesses", "http://a " + w1 + ",http://b " + w1), Map.of(), null))
                .isInstanceOfSatisfying(InvalidSettings.class, e -> assertThat(e.problems())
                        .containsExactly("log.witnesses (flag): witness witness.test/w1 is listed twice"));
    }
}
