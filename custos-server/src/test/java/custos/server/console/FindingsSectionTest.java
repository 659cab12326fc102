package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.oauth.Browser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's findings over real HTTP: staff read them with the replay of the period's allowed entries; an operator
 * resolves one with a note, as an operator action (an entry of the audit log); an auditor cannot, and a resolution
 * without a note changes nothing.
 */
@Timeout(180)
class FindingsSectionTest {
    @RegisterExtension
    static final ConsoleGateways gw = new ConsoleGateways();
    static final Pattern OPEN_OVER_BROAD = Pattern.compile("name=\"finding\" value=\"(over-broad-grant:[^\"]+)\"");
    static final Pattern ANY_FINDING = Pattern.compile("<code>([a-z-]+:[^<]+)</code>");

    private static long count(String sql) {
        return gw.a.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static String openOverBroad(String page) {
        Matcher m = OPEN_OVER_BROAD.matcher(page);
        assertThat(m.find()).as("an open over-broad grant with a resolve form").isTrue();
        return m.group(1).replace("&#58;", ":");
    }

    /** Any finding the page lists, open or resolved (the other tests may have resolved the over-broad one). */
    private static String anyFinding(String page) {
        Matcher m = ANY_FINDING.matcher(page);
        assertThat(m.find()).as("a finding on the page").isTrue();
        return m.group(1);
    }

    @Test
    void anOperatorResolvesAFindingAndTheResolutionIsALoggedOperatorAction() throws Exception {
        Browser operator = gw.console("op-test");
        HttpResponse<String> page = operator.get("/console/findings");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("settings-violating allows among").contains("over-broad-grant:");
        String id = openOverBroad(page.body());
        long actionsBefore = count("select count(*) from operator_actions where action = 'finding.resolve'");
        HttpResponse<String> resolved = operator.post("/console/findings/resolve", List.of(
                Map.entry("csrf", Browser.hidden(page.body(), "csrf")), Map.entry("finding", id),
                Map.entry("note", "scope removed from the agreement after review")));
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(303);
        assertThat(Browser.location(resolved)).startsWith("/console/findings?done=");
        assertThat(count("select count(*) from operator_actions where action = 'finding.resolve'")).isEqualTo(actionsBefore + 1);
        List<String> notes = gw.a.database().jdbi().withHandle(h -> h.createQuery(
                "select note from finding_resolutions where finding_id = :id").bind("id", id).mapTo(String.class).list());
        assertThat(notes).containsExactly("scope removed from the agreement after review");
        HttpResponse<String> after = operator.get(Browser.location(resolved));
        assertThat(after.body()).contains("resolved; the resolution is log entry").contains("resolved by op-test");
    }

    @Test
    void anAuditorReadsTheFindingsButCannotResolveOne() throws Exception {
        Browser auditor = gw.console("aud-test");
        HttpResponse<String> page = auditor.get("/console/findings");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("over-broad-grant:").doesNotContain(">Resolve</button>");
        String id = anyFinding(page.body());
        long before = count("select count(*) from finding_resolutions");
        HttpResponse<String> refused = auditor.post("/console/findings/resolve", List.of(
                Map.entry("csrf", Browser.hidden(page.body(), "csrf")), Map.entry("finding", id), Map.entry("note", "auditor")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(count("select count(*) from finding_resolutions")).isEqualTo(before);
    }

    @Test
    void aResolutionWithoutANoteOrOfAnUnknownFindingChangesNothing() throws Exception {
        Browser operator = gw.console("op-test");
        HttpResponse<String> page = operator.get("/console/findings");
        String csrf = Browser.hidden(page.body(), "csrf");
        String id = anyFinding(page.body());
        long before = count("select count(*) from finding_resolutions") + count("select count(*) from operator_actions");
        HttpResponse<String> blank = operator.post("/console/findings/resolve", List.of(
                Map.entry("csrf", csrf), Map.entry("finding", id), Map.entry("note", "  ")));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("A resolution needs a note");
        HttpResponse<String> unknown = operator.post("/console/findings/resolve", List.of(
                Map.entry("csrf", csrf), Map.entry("finding", "stale-agreement:nobody:0"), Map.entry("note", "x")));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(count("select count(*) from finding_resolutions") + count("select count(*) from operator_actions")).isEqualTo(before);
    }
}
