package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.oauth.Browser;
import custos.server.oauth.Sessions;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may do what in the console and the admin API, checked on the server for every route: an auditor reads and is
 * refused every action (403, nothing changes), a person's session is nobody to the console and a staff session nobody
 * to the people's pages, and a script without a credential gets 401.
 */
@Timeout(180)
class ConsoleRolesTest {
    @RegisterExtension
    static final ConsoleGateways gw = new ConsoleGateways();

    /** Every action route of the admin API, with a body that would be accepted from an operator. */
    static final List<String[]> ACTIONS = List.of(
            new String[] {"/v1/admin/partners", "{\"slug\": \"auditor-made\", \"name\": \"Auditor Made\", \"kind\": \"app\"}"},
            new String[] {"/v1/admin/partners/cartwell/suspend", null},
            new String[] {"/v1/admin/partners/cartwell/reinstate", null},
            new String[] {"/v1/admin/partners/cartwell/clients", "{\"redirectUris\": [\"https://cartwell.example/cb\"]}"},
            new String[] {"/v1/admin/clients/cartwell/rotate-secret", null},
            new String[] {"/v1/admin/partners/cartwell/agreements", "{\"consentLifetimeDays\": 30, \"dailyPeopleVolume\": 10}"},
            new String[] {"/v1/admin/agreements/1/end", null},
            new String[] {"/v1/admin/agreements/1/purposes", "{\"code\": \"x-y\", \"description\": \"d\", \"scopes\": [\"profile:read\"]}"},
            new String[] {"/v1/admin/purposes/1/retire", null});

    /** Every console form that acts, by path. */
    static final List<String> FORMS = List.of("/console/partners", "/console/partners/cartwell/suspend",
            "/console/partners/cartwell/reinstate", "/console/partners/cartwell/clients",
            "/console/partners/cartwell/clients/cartwell/rotate-secret", "/console/partners/cartwell/agreements",
            "/console/partners/cartwell/agreements/1/end", "/console/partners/cartwell/agreements/1/purposes",
            "/console/partners/cartwell/purposes/1/retire", "/console/findings/resolve");

    private static String state() {
        return gw.a.database().jdbi().withHandle(h -> h.createQuery("""
                        select (select count(*) from operator_actions) || '/' || (select count(*) from partners) || '/'
                            || (select string_agg(status, ',' order by id) from partners) || '/' || (select count(*) from agreements)
                            || '/' || (select count(*) from purposes where retired_at is null) || '/'
                            || (select string_agg(secret_hash, ',' order by client_id) from partner_clients)
                            || '/' || (select count(*) from finding_resolutions)""")
                .mapTo(String.class).one());
    }

    @Test
    void anAuditorsCredentialGets403OnEveryAdminActionAndNothingChanges() throws Exception {
        String before = state();
        for (String[] action : ACTIONS) {
            HttpResponse<String> res = gw.admin(gw.auditorToken, "POST", action[0], action[1]);
            assertThat(res.statusCode()).as(action[0]).isEqualTo(403);
            assertThat(res.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(res.body()).as(action[0]).contains("\"type\":\"/problems/role-forbids\"");
        }
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void anAuditorReadsTheInventoryAndTheActionsButEveryConsoleFormIsRefused() throws Exception {
        assertThat(gw.admin(gw.auditorToken, "GET", "/v1/admin/partners", null).body()).contains("\"slug\":\"tunewave\"");
        assertThat(gw.admin(gw.auditorToken, "GET", "/v1/admin/actions", null).statusCode()).isEqualTo(200);
        Browser auditor = gw.console("aud-test");
        HttpResponse<String> inventory = auditor.get("/console/partners");
        assertThat(inventory.statusCode()).isEqualTo(200);
        assertThat(inventory.body()).contains("Tunewave").contains("auditor").doesNotContain("Register the partner");
        HttpResponse<String> partner = auditor.get("/console/partners/cartwell");
        assertThat(partner.body()).contains("Cartwell").doesNotContain("Suspend").doesNotContain("Retire ");
        assertThat(auditor.get("/console/actions").statusCode()).isEqualTo(200);
        String csrf = Browser.hidden(inventory.body(), "csrf");
        String before = state();
        for (String form : FORMS) {
            HttpResponse<String> res = auditor.post(form, List.of(Map.entry("csrf", csrf), Map.entry("slug", "auditor-form"),
                    Map.entry("name", "Auditor Form"), Map.entry("kind", "APP"), Map.entry("redirect_uris", "https://x.example/cb"),
                    Map.entry("consent_days", "30"), Map.entry("daily_people", "5"), Map.entry("code", "a-b"),
                    Map.entry("description", "d"), Map.entry("scopes", "profile:read")));
            assertThat(res.statusCode()).as(form).isEqualTo(403);
            assertThat(res.body()).as(form).contains("only an operator can act");
        }
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void anOperatorsConsoleFormsEachActAndEachIsLoggedWithTheOperatorAsActor() throws Exception {
        Browser operator = gw.console("op-test");
        String csrf = Browser.hidden(operator.get("/console/partners").body(), "csrf");
        long before = gw.count("select count(*) from operator_actions where actor = 'op-test'");
        expectRedirect(operator.post("/console/partners", form(csrf, "slug", "formed", "name", "Formed Ltd", "kind", "RETAILER")),
                "/console/partners/formed?done=registered");
        expectRedirect(operator.post("/console/partners/formed/agreements", form(csrf, "valid_from", "", "valid_until", "2999-01-01",
                "consent_days", "90", "daily_people", "100")), "/console/partners/formed?done=agreement-added");
        long agreement = gw.count("select a.id from agreements a join partners p on p.id = a.partner_id where p.slug = 'formed'");
        expectRedirect(operator.post("/console/partners/formed/agreements/" + agreement + "/purposes", form(csrf, "code", "shop",
                "description", "Shop with friends", "scopes", "profile:read friends:read", "friends_data", "on")),
                "/console/partners/formed?done=purpose-added");
        HttpResponse<String> client = operator.post("/console/partners/formed/clients", form(csrf, "redirect_uris", "https://formed.example/cb"));
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.body()).contains("id=\"client-secret\"").contains("shown this once");
        String clientId = client.body().replaceAll("(?s).*<dt>Client id</dt><dd><code>([^<]+)</code>.*", "$1");
        assertThat(operator.post("/console/partners/formed/clients/" + clientId + "/rotate-secret", form(csrf)).statusCode()).isEqualTo(200);
        expectRedirect(operator.post("/console/partners/formed/suspend", form(csrf)), "/console/partners/formed?done=suspended");
        expectRedirect(operator.post("/console/partners/formed/reinstate", form(csrf)), "/console/partners/formed?done=reinstated");
        long purpose = gw.purposeId("formed", "shop");
        expectRedirect(operator.post("/console/partners/formed/purposes/" + purpose + "/retire", form(csrf)),
                "/console/partners/formed?done=purpose-retired");
        expectRedirect(operator.post("/console/partners/formed/agreements/" + agreement + "/end", form(csrf)),
                "/console/partners/formed?done=agreement-ended");
        assertThat(gw.count("select count(*) from operator_actions where actor = 'op-test'")).isEqualTo(before + 9);

        HttpResponse<String> taken = operator.post("/console/partners", form(csrf, "slug", "formed", "name", "Again", "kind", "APP"));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("Nothing was changed: partner formed is already registered.");
        HttpResponse<String> noCsrf = operator.post("/console/partners/formed/suspend", form("not-the-token"));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(gw.count("select count(*) from operator_actions where actor = 'op-test'")).isEqualTo(before + 9);
    }

    private static List<Map.Entry<String, String>> form(String csrf, String... fields) {
        List<Map.Entry<String, String>> out = new java.util.ArrayList<>(List.of(Map.entry("csrf", csrf)));
        for (int i = 0; i < fields.length; i += 2) {
            out.add(Map.entry(fields[i], fields[i + 1]));
        }
        return out;
    }

    private static void expectRedirect(HttpResponse<String> res, String to) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(303);
        assertThat(Browser.location(res)).isEqualTo(to);
    }

    @Test
    void aPersonsSessionGetsNothingOfTheConsoleAndAStaffSessionNothingOfThePeoplesPages() throws Exception {
        Browser person = gw.person(gw.freshPerson());
        for (String page : List.of("/console", "/console/partners", "/console/partners/tunewave", "/console/actions",
                "/console/partners.csv")) {
            HttpResponse<String> res = person.get(page);
            assertThat(res.statusCode()).as(page).isEqualTo(303);
            assertThat(Browser.location(res)).isEqualTo("/console/sign-in");
        }
        String csrf = Browser.hidden(person.get("/account").body(), "csrf");
        String before = state();
        for (String form : FORMS) {
            HttpResponse<String> res = person.post(form, List.of(Map.entry("csrf", csrf), Map.entry("slug", "person-made"),
                    Map.entry("name", "Person Made"), Map.entry("kind", "APP")));
            assertThat(res.statusCode()).as(form).isEqualTo(303);
            assertThat(Browser.location(res)).isEqualTo("/console/sign-in");
        }
        assertThat(person.get("/v1/admin/partners").statusCode()).isEqualTo(401);
        assertThat(state()).isEqualTo(before);

        Browser operator = gw.console("op-test");
        for (String page : List.of("/account", "/account/partners", "/account/history", "/account/settings")) {
            HttpResponse<String> res = operator.get(page);
            assertThat(res.statusCode()).as(page).isEqualTo(303);
            assertThat(Browser.location(res)).isEqualTo("/account/sign-in");
        }
    }

    @Test
    void withoutAStaffCredentialTheAdminApiAnswers401AndAPartnersTokenIsNoCredential() throws Exception {
        for (String path : List.of("/v1/admin/partners", "/v1/admin/actions")) {
            HttpResponse<String> res = gw.admin(null, "GET", path, null);
            assertThat(res.statusCode()).isEqualTo(401);
            assertThat(res.body()).contains("/problems/invalid-token");
        }
        String before = state();
        long person = gw.freshPerson();
        String partnerToken = gw.token(person, "seekfar", "social-search", List.of("profile:read"));
        for (String[] action : ACTIONS) {
            assertThat(gw.admin(null, "POST", action[0], action[1]).statusCode()).as(action[0]).isEqualTo(401);
            assertThat(gw.admin(partnerToken, "POST", action[0], action[1]).statusCode()).as(action[0]).isEqualTo(401);
            assertThat(gw.admin("cst_forged", "POST", action[0], action[1]).statusCode()).as(action[0]).isEqualTo(401);
        }
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void theConsolesSessionActsThroughTheAdminApiOnlyWithItsCsrfToken() throws Exception {
        String[] session = gw.consoleCookieAndCsrf("op-test");
        String cookie = Sessions.COOKIE + "=" + session[0];
        String body = "{\"slug\": \"by-cookie\", \"name\": \"By Cookie\", \"kind\": \"game\"}";
        String before = state();
        HttpResponse<String> without = gw.admin(null, "POST", "/v1/admin/partners", body, "Cookie", cookie);
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(without.body()).contains("X-CSRF-Token");
        HttpResponse<String> wrong = gw.admin(null, "POST", "/v1/admin/partners", body, "Cookie", cookie, "X-CSRF-Token", "nope");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(state()).isEqualTo(before);
        HttpResponse<String> with = gw.admin(null, "POST", "/v1/admin/partners", body, "Cookie", cookie, "X-CSRF-Token", session[1]);
        assertThat(with.statusCode()).as(with.body()).isEqualTo(201);
        assertThat(with.body()).contains("\"actor\":\"op-test\"").contains("\"action\":\"partner.register\"");
        assertThat(gw.admin(null, "GET", "/v1/admin/partners", null, "Cookie", cookie).statusCode()).isEqualTo(200);
    }
}
