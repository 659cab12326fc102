package custos.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProblemTest {

    @Test
    void extensionMembersFollowTheStandardOnesInTheOrderTheyWereAdded() {
        Problem problem = Problem.of(ProblemType.ACCESS_DENIED, "no");
        List<String> added = new ArrayList<>();
        for (String key : List.of("reasons", "receipt", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10")) {
            problem = problem.with(key, key);
            added.add(key);
        }
        List<String> expected = new ArrayList<>(List.of("type", "title", "status", "detail", "instance"));
        expected.addAll(added);
        assertThat(new ArrayList<>(problem.body("/x").keySet())).containsExactlyElementsOf(expected);
    }
}
