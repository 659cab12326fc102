package custos.server.account;

import static custos.server.account.AccountGateways.expect;
import static custos.server.account.AccountGateways.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import custos.people.PrivacySettings;
import custos.data.DataCategory;
import custos.server.oauth.Browser;
import custos.server.store.JdbiSettingsStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "Privacy settings" over real HTTP: saved on one gateway, in force on the other when the page answers. */
@Timeout(180)
class SettingsPageTest {
    static final String PAGE = "/account/settings";
    @RegisterExtension
    static final AccountGateways gw = new AccountGateways();

    @Test
    void keepingPartnersFromTheAddressBookRefusesOrbitelsNextRequestOnTheOtherGatewayAndAddsAVersion() throws Exception {
        long person = gw.freshPerson();
        String token = gw.token(person, "orbitel", "device-integration", List.of("profile:read", "contacts:read"), false);
        String contacts = "/v1/people/" + person + "/contacts";
        assertThat(gw.partnerGet(token, contacts).statusCode()).isEqualTo(200);
        Browser browser = gw.signIn(person);
        String page = browser.get(PAGE).body();
        assertThat(page).contains("<legend>Your address book</legend>").contains("name=\"partners.contacts\" value=\"yes\" checked");
        int before = settings(person).version();

        HttpResponse<String> saved = browser.post(PAGE, form(page, Map.of("partners.contacts", "")));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(Browser.location(saved)).isEqualTo(PAGE + "?done=saved");
        HttpResponse<String> next = gw.partnerGet(token, contacts);
        assertThat(next.statusCode()).isEqualTo(403);
        assertThat(reasons(next)).contains("SETTINGS_FORBID");
        PrivacySettings now = settings(person);
        assertThat(now.version()).isEqualTo(before + 1);
        assertThat(now.of(DataCategory.CONTACTS).partnersMayReach()).isFalse();
        assertThat(now.of(DataCategory.PROFILE)).isEqualTo(PrivacySettings.DEFAULT);
        String after = browser.get(Browser.location(saved)).body();
        assertThat(after).contains("Your settings are saved").contains("Your address book: partners may no longer reach it.");

        HttpResponse<String> again = browser.post(PAGE, form(after, Map.of()));
        assertThat(Browser.location(again)).as("the same answers again").isEqualTo(PAGE + "?done=unchanged");
        assertThat(settings(person).version()).isEqualTo(before + 1);
    }

    @Test
    void formsThatAreForgedMalformedOrStaleChangeNothing() throws Exception {
        long person = gw.freshPerson();
        Browser browser = gw.signIn(person);
        String page = browser.get(PAGE).body();
        PrivacySettings before = settings(person);

        List<String> refusals = new ArrayList<>();
        expect(refusals, 403, "did not come from your settings page", browser.post(PAGE, form(page, Map.of("csrf", "forged"))));
        expect(refusals, 400, "is not one this page offers",
                browser.post(PAGE, form(page, Map.of("visibility.messages", "EVERYONE_ON_EARTH"))));
        expect(refusals, 400, "is not one this page offers",
                browser.post(PAGE, form(page, Map.of("visibility.calendar", "x".repeat(10_000)))));
        expect(refusals, 400, "is not one this page offers",
                browser.post(PAGE, form(page, Map.of("partners.messages", "true"))));
        expect(refusals, 400, "is not one this page offers", browser.post(PAGE, form(page, Map.of("visibility.friends", ""))));
        expect(refusals, 400, "is not one of this page", browser.post(PAGE, form(page, Map.of("version", "1; drop table"))));
        expect(refusals, 409, "changed after you opened this page",
                browser.post(PAGE, form(page, Map.of("version", Integer.toString(before.version() + 1), "partners.messages", ""))));
        assertThat(refusals).isEmpty();
        assertThat(settings(person)).isEqualTo(before);

        // The same form, after the settings changed in another window, is stale.
        assertThat(browser.post(PAGE, form(page, Map.of("partners.calendar", ""))).statusCode()).isEqualTo(303);
        expect(refusals, 409, "changed after you opened this page", browser.post(PAGE, form(page, Map.of("partners.messages", ""))));
        assertThat(refusals).isEmpty();
        assertThat(settings(person).of(DataCategory.MESSAGES).partnersMayReach()).isTrue();

        // Another person's session changes only that person's settings, whatever the form says.
        long other = gw.freshPerson();
        PrivacySettings othersBefore = settings(other);
        Browser second = gw.signIn(other);
        String secondPage = second.get(PAGE).body();
        PrivacySettings mine = settings(person);
        assertThat(second.post(PAGE, form(secondPage, Map.of("person", Long.toString(person), "partners.friends", "")))
                .statusCode()).isEqualTo(303);
        assertThat(settings(person)).isEqualTo(mine);
        assertThat(settings(other).version()).isEqualTo(othersBefore.version() + 1);
    }

    /**
     * The form as the page draws it (CSRF token, version, every category's answers as shown), with {@code changes}
     * applied: a value replaces the field's, an empty value unticks a checkbox (leaves it out).
     */
    private static List<Map.Entry<String, String>> form(String page, Map<String, String> changes) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        shown.put("csrf", Browser.hidden(page, "csrf"));
        shown.put("version", Browser.hidden(page, "version"));
        for (DataCategory c : DataCategory.values()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"visibility\\." + java.util.regex.Pattern.quote(c.code())
                    + "\">\\s*(?:<option[^>]*>[^<]*</option>\\s*)*?<option value=\"([A-Z_]+)\" selected").matcher(page);
            assertThat(m.find()).as("the selected visibility of %s", c.code()).isTrue();
            shown.put("visibility." + c.code(), m.group(1));
            for (String box : List.of("partners.", "friends-partners.")) {
                if (page.contains("name=\"" + box + c.code() + "\" value=\"yes\" checked")) {
                    shown.put(box + c.code(), "yes");
                }
            }
        }
        shown.putAll(changes);
        shown.forEach((k, v) -> {
            if (!v.isEmpty() || k.startsWith("visibility.")) {
                fields.add(Map.entry(k, v));
            }
        });
        return fields;
    }

    private static PrivacySettings settings(long person) {
        return new JdbiSettingsStore(gw.a.database().jdbi()).current(person);
    }
}
