package custos.world.load;

import static org.assertj.core.api.Assertions.assertThat;

import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request mix is the same for a seed in every JVM. A consent's purposes and scopes are {@code Set.copyOf}
 * sets, whose iteration order follows a salt drawn at JVM start (and {@link custos.data.Scope}'s hash follows
 * enum identity hashes), so one JVM alone cannot show an order dependence: the same mix is also built in fresh JVMs.
 */
class RequestMixDeterminismTest {
    private static final WorldSpec WORLD = new WorldSpec(2000, 1);
    private static final int COUNT = 4096;
    private static final long SEED = 7;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theSameSeedGivesTheSameRequestsInEveryJvm() throws Exception {
        String here = digest();
        for (int run = 0; run < 3; run++) {
            assertThat(digestInFreshJvm()).as("mix digest of JVM run " + run).isEqualTo(here);
        }
    }

    /** Run in a child JVM: prints the digest of the mix. */
    public static void main(String[] args) throws Exception {
        System.out.println(digest());
    }

    static String digest() throws NoSuchAlgorithmException {
        PolicyView view = PolicyViewLoader.load(WORLD);
        DecisionRequest[] mix = RequestMix.build(view, WORLD.people(), COUNT, ReferenceWorld.AS_OF.minusSeconds(86_400), SEED);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (DecisionRequest r : mix) {
            sha.update((r.partnerId() + "|" + r.purpose() + "|" + r.actor() + "|" + r.subject() + "|" + r.scope() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String digestInFreshJvm() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                RequestMixDeterminismTest.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.split("\n");
        return lines[lines.length - 1].strip();
    }
}
