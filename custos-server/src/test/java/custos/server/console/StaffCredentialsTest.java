package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.oauth.Browser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staff credentials over real HTTP: a member (an auditor too) changes their own password with the current one, as a
 * logged operator action that ends their other sessions; a wrong current password or two different new ones change
 * nothing; a revoked login's live session, bearer credential and password stop working at once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StaffCredentialsTest {
    @RegisterExtension
    static final ConsoleGateways gw = new ConsoleGateways();

    private static HttpResponse<String> change(Browser browser, String current, String next, String again) throws Exception {
        HttpResponse<String> page = browser.get(PasswordSection.PATH);
        assertThat(page.statusCode()).isEqualTo(200);
        return browser.post(PasswordSection.PATH, List.of(Map.entry("csrf", Browser.hidden(page.body(), "csrf")),
                Map.entry("current", current), Map.entry("next", next), Map.entry("again", again)));
    }

    @Test
    void anAuditorChangesTheirOwnPasswordAndTheirOtherSessionsEnd() throws Exception {
        gw.staff.add("aud-pass", StaffRole.AUDITOR, ConsoleGateways.STAFF_PASSWORD);
        Browser here = gw.console("aud-pass");
        Browser elsewhere = gw.console("aud-pass");
        HttpResponse<String> changed = change(here, ConsoleGateways.STAFF_PASSWORD, "my new auditor password", "my new auditor password");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(303);
        assertThat(Browser.location(changed)).startsWith(PasswordSection.PATH + "?done=");
        assertThat(here.get(Browser.location(changed)).body()).contains("Your password was changed; the change is log entry");
        assertThat(gw.staff.verify("aud-pass", "my new auditor password")).isPresent();
        assertThat(gw.staff.verify("aud-pass", ConsoleGateways.STAFF_PASSWORD)).isEmpty();
        assertThat(gw.count("select count(*) from operator_actions where actor = 'aud-pass' and action = 'staff.password'"
                + " and target = 'staff:aud-pass' and after ->> 'sessionsEnded' = '1'")).isEqualTo(1);
        assertThat(gw.count("select count(*) from operator_actions where after::text like '%$2%'")).as("no hash in the log").isZero();
        assertThat(elsewhere.get("/console/partners").statusCode()).as("the other session ended").isEqualTo(303);
        assertThat(here.get("/console/partners").statusCode()).as("this one stays").isEqualTo(200);
    }

    @Test
    void aWrongCurrentPasswordOrTwoDifferentNewOnesChangeNothing() throws Exception {
        gw.staff.add("op-pass", StaffRole.OPERATOR, ConsoleGateways.STAFF_PASSWORD);
        Browser browser = gw.console("op-pass");
        long before = gw.count("select count(*) from operator_actions");
        HttpResponse<String> wrong = change(browser, "not my password at all", "another good password", "another good password");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("The current password is not right");
        HttpResponse<String> differ = change(browser, ConsoleGateways.STAFF_PASSWORD, "another good password", "another good passwort");
        assertThat(differ.statusCode()).isEqualTo(400);
        assertThat(differ.body()).contains("The two new passwords differ");
        HttpResponse<String> shortOne = change(browser, ConsoleGateways.STAFF_PASSWORD, "short", "short");
        assertThat(shortOne.statusCode()).isEqualTo(400);
        HttpResponse<String> forged = browser.post(PasswordSection.PATH, List.of(Map.entry("csrf", "forged"),
                Map.entry("current", ConsoleGateways.STAFF_PASSWORD), Map.entry("next", "another good password"),
                Map.entry("again", "another good password")));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(gw.count("select count(*) from operator_actions")).isEqualTo(before);
        assertThat(gw.staff.verify("op-pass", ConsoleGateways.STAFF_PASSWORD)).isPresent();
    }

    @Test
    void aRevokedLoginsSessionCredentialAndPasswordStopWorkingAtOnce() throws Exception {
        Staff leaving = gw.staff.add("op-leaving", StaffRole.OPERATOR, ConsoleGateways.STAFF_PASSWORD);
        String token = gw.staff.issueToken(leaving);
        Browser browser = gw.console("op-leaving");
        assertThat(browser.get("/console/partners").statusCode()).isEqualTo(200);
        assertThat(gw.admin(token, "GET", "/v1/admin/partners", null).statusCode()).isEqualTo(200);

        StaffCredentials credentials = new StaffCredentials(gw.a.database().jdbi(), gw.staff, new OperatorActions(
                gw.a.database().jdbi(), new custos.server.policy.ChangeBarrier(gw.a.database().jdbi(),
                        new custos.server.store.JdbiPolicyChangeFeed(gw.a.database().jdbi())), java.time.Clock.systemUTC(), () -> { }),
                java.time.Clock.systemUTC());
        OperatorActions.Done done = credentials.revoke(gw.operator, "op-leaving");
        assertThat(done.result()).containsEntry("sessionsEnded", 1).containsEntry("credentialsDeleted", 1);
        assertThat(done.action().actor()).isEqualTo("op-test");

        assertThat(browser.get("/console/partners").statusCode()).as("the live session ended").isEqualTo(303);
        assertThat(gw.admin(token, "GET", "/v1/admin/partners", null).statusCode()).isEqualTo(401);
        HttpResponse<String> form = new Browser(gw.base()).get(ConsoleAccess.SIGN_IN);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(gw.staff.verify("op-leaving", ConsoleGateways.STAFF_PASSWORD)).isEmpty();
        assertThat(credentials.revoked("op-leaving")).isTrue();
        assertThat(gw.count("select count(*) from operator_actions where action = 'staff.revoke' and target = 'staff:op-leaving'"))
                .isEqualTo(1);
    }
}
