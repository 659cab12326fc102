package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import custos.server.audit.AccessHistory;
import custos.server.oauth.Browser;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The access history page over real HTTP: real partner traffic through the gateway, then the person (and their
 * friend, and a stranger) signed in reading {@code /account/history}: rows, filters, keyset pages, the timeline, bad
 * input, and that nobody sees another person's entries.
 */
@Timeout(180)
class HistoryPageTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 10_000));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A person with real traffic: profile and friend-list reads by Seekfar (allowed), a contacts read (denied). */
    private record Traffic(long person, long friend, long profileEntry, long friendsEntry, long deniedEntry) {}

    private static Traffic traffic() throws Exception {
        long p = api.freshPerson();
        long friend = api.app.engine().view().friendsOf(p)[0];
        api.settings(p, Map.of());
        for (long f : api.app.engine().view().friendsOf(p)) {
            api.settings(f, Map.of());
        }
        api.barrier();
        String seekfar = api.token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        HttpResponse<String> profile = api.get(seekfar, "/v1/people/" + p + "/profile");
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
        HttpResponse<String> friends = api.get(seekfar, "/v1/people/" + p + "/friends?limit=200");
        assertThat(friends.statusCode()).as(friends.body()).isEqualTo(200);
        HttpResponse<String> contacts = api.get(seekfar, "/v1/people/" + p + "/contacts");
        assertThat(contacts.statusCode()).isIn(403, 404);
        return new Traffic(p, friend, ApiFixture.receiptIndex(profile), ApiFixture.receiptIndex(friends),
                ApiFixture.receiptIndex(contacts));
    }

    private static Browser signedIn(long person) throws Exception {
        api.app.oauth().passwords().set(person, "person-" + person, ApiFixture.PASSWORD);
        Browser browser = new Browser(api.base);
        HttpResponse<String> form = browser.get("/account/sign-in");
        HttpResponse<String> in = browser.post("/account/sign-in", List.of(Map.entry("csrf", Browser.hidden(form.body(), "csrf")),
                Map.entry("login", "person-" + person), Map.entry("password", ApiFixture.PASSWORD)));
        assertThat(in.statusCode()).as(in.body()).isEqualTo(303);
        return browser;
    }

    private static String receipt(long index) {
        return "href=\"/account/history/" + index + "/receipt\"";
    }

    private static String name(long person) {
        return api.db.jdbi().withHandle(h -> h.createQuery("select name from people where id = :id").bind("id", person)
                .mapTo(String.class).one());
    }

    private static List<Long> receipts(String html) {
        Matcher m = Pattern.compile("href=\"/account/history/(\\d+)/receipt\"").matcher(html);
        List<Long> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    @Test
    void theHistoryListsEveryEntryAboutThePersonNewestFirstInPlainWordsWithReceipts() throws Exception {
        Traffic t = traffic();
        HttpResponse<String> page = signedIn(t.person()).get("/account/history");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
        String html = page.body();
        assertThat(receipts(html)).as("newest first; older entries reached through friends may follow")
                .startsWith(t.deniedEntry(), t.friendsEntry(), t.profileEntry());
        assertThat(html).contains("Seekfar Search", "Show people's and their friends' names in search results",
                "See your name and the city you live in", "See who your friends are (their names)", "Allowed", "Denied",
                "This purpose never allowed this data", "1 record: id, name, city");
        assertThat(html).contains("<svg", "role=\"img\"", "<title id=\"timeline-title\">", "The chart's numbers");
        assertThat(seekfarLane(html)).as("allowed, denied (entries reaching them through friends may add)")
                .satisfies(n -> assertThat(n[0]).isGreaterThanOrEqualTo(2), n -> assertThat(n[1]).isGreaterThanOrEqualTo(1));
    }

    @Test
    void theTimelineCountsWhatWasAppendedSinceThePersonLastLooked() throws Exception {
        Traffic t = traffic();
        Browser browser = signedIn(t.person());
        long[] before = seekfarLane(browser.get("/account/history").body());
        String seekfar = api.token(t.person(), "seekfar", "social-search", List.of("profile:read"), false);
        assertThat(api.get(seekfar, "/v1/people/" + t.person() + "/profile").statusCode()).isEqualTo(200);
        assertThat(api.get(seekfar, "/v1/people/" + t.person() + "/calendar/events").statusCode()).isIn(403, 404);
        assertThat(seekfarLane(browser.get("/account/history").body())).containsExactly(before[0] + 1, before[1] + 1);
    }

    @Test
    void aFriendSeesTheAccessThatReachedThemThroughThePersonsConsentAndNothingElseOfThePersons() throws Exception {
        Traffic t = traffic();
        String html = signedIn(t.friend()).get("/account/history").body();

        assertThat(html).contains(receipt(t.friendsEntry())).contains("Through " + name(t.person()))
                .contains(name(t.person()) + "'s consent reached your data");
        assertThat(html).doesNotContain(receipt(t.profileEntry())).doesNotContain(receipt(t.deniedEntry()));
        assertThat(signedIn(t.friend()).get("/account/history?category=friends").body()).contains(receipt(t.friendsEntry()));
    }

    @Test
    void aSecondPersonNeverSeesTheFirstPersonsEntriesWhateverTheQuery() throws Exception {
        Traffic t = traffic();
        long stranger = api.freshPerson();
        Browser browser = signedIn(stranger);
        for (String query : List.of("", "?before=" + (t.deniedEntry() + 1), "?after=0", "?partner=seekfar",
                "?category=profile&outcome=allowed")) {
            HttpResponse<String> page = browser.get("/account/history" + query);
            assertThat(page.statusCode()).as(query).isIn(200, 400);
            assertThat(receipts(page.body())).as(query).doesNotContain(t.profileEntry(), t.friendsEntry(), t.deniedEntry());
        }
        assertThat(new Browser(api.base).get("/account/history").headers().firstValue("location"))
                .as("anonymous").hasValue("/account/sign-in");
    }

    @Test
    void filtersNarrowByCategoryOutcomePartnerAndDay() throws Exception {
        Traffic t = traffic();
        Browser browser = signedIn(t.person());
        api.db.jdbi().useHandle(h -> h.execute("alter table person_keys drop column aes_key"));
        assertThat(receipts(browser.get("/account/history?category=friends").body())).startsWith(t.friendsEntry())
                .doesNotContain(t.profileEntry(), t.deniedEntry());
        assertThat(receipts(browser.get("/account/history?outcome=denied").body())).startsWith(t.deniedEntry())
                .doesNotContain(t.profileEntry(), t.friendsEntry());
        assertThat(receipts(browser.get("/account/history?outcome=allowed&category=profile").body()))
                .containsExactly(t.profileEntry());
        assertThat(receipts(browser.get("/account/history?partner=seekfar").body()))
                .startsWith(t.deniedEntry(), t.friendsEntry(), t.profileEntry());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(receipts(browser.get("/account/history?from=" + today + "&to=" + today).body()))
                .startsWith(t.deniedEntry(), t.friendsEntry(), t.profileEntry());
        assertThat(receipts(browser.get("/account/history?from=" + today.plusDays(1)).body())).isEmpty();
        assertThat(receipts(browser.get("/account/history?to=" + today.minusDays(1)).body())).isEmpty();
        HttpResponse<String> form = browser.get("/account/history?partner=seekfar&outcome=denied");
        assertThat(form.body()).contains("<option value=\"seekfar\" selected>Seekfar Search</option>")
                .contains("<option value=\"denied\" selected>").contains("href=\"/account/history\">Clear filters");
    }

    @Test
    void badFilterValuesAreIgnoredWithAClearMessageAndNeverAFailure() throws Exception {
        Traffic t = traffic();
        Browser browser = signedIn(t.person());
        Map<String, String> cases = Map.of(
                "?before=abc", "The page position is not an entry number",
                "?before=-5", "The page position is not an entry number",
                "?before=99999999999999999999999", "The page position is not an entry number",
                "?partner=tunewave", "That partner does not appear in your history",
                "?partner=" + "x".repeat(300), "The partner given was too long",
                "?category=passwords", "There is no data category by that name",
                "?outcome=maybe", "The outcome can only be",
                "?from=2026-13-45", "The start date is not a date like",
                "?from=1900-01-01", "The start date must be between",
                "?from=2026-12-02&to=2026-12-01", "The start date is after the end date");
        for (var c : cases.entrySet()) {
            HttpResponse<String> page = browser.get("/account/history" + c.getKey());
            assertThat(page.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(page.body()).as(c.getKey()).contains("role=\"alert\"").contains(c.getValue());
            assertThat(receipts(page.body())).as(c.getKey() + ": the bad filter is dropped, the rest shown")
                    .contains(t.profileEntry());
        }
        HttpResponse<String> markup = browser.get("/account/history?partner=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertThat(markup.statusCode()).isEqualTo(400);
        assertThat(markup.body()).contains("That partner does not appear in your history").doesNotContain("<script>");
        HttpResponse<String> huge = browser.get("/account/history?x=" + "y".repeat(3_000));
        assertThat(huge.statusCode()).isIn(400, 414, 431);
    }

    @Test
    void pagesFollowTheEntryIndexOlderAndNewerWithoutOverlapOrGap() throws Exception {
        long p = api.freshPerson();
        api.settings(p, Map.of());
        api.barrier();
        String seekfar = api.token(p, "seekfar", "social-search", List.of("profile:read"), false);
        for (int i = 0; i < 57; i++) {
            assertThat(api.get(seekfar, "/v1/people/" + p + "/profile").statusCode()).isEqualTo(200);
        }
        Browser browser = signedIn(p);
        String first = browser.get("/account/history").body();
        List<Long> newest = receipts(first);
        assertThat(newest).hasSize(50).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(first).doesNotContain("rel=\"prev\"");
        String older = href(first, "next");
        assertThat(older).isEqualTo("/account/history?before=" + newest.get(49));
        String second = browser.get(older).body();
        List<Long> rest = receipts(second);
        List<Long> all = new AccessHistory(api.db.jdbi()).of(p, 200).stream().map(AccessHistory.Entry::index).toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(57).hasSizeLessThanOrEqualTo(100);
        assertThat(rest).hasSize(all.size() - 50).allMatch(i -> i < newest.get(49));
        assertThat(second).doesNotContain("rel=\"next\"");
        assertThat(browser.get("/account/history?before=0").body()).contains("No entries on this page")
                .contains("Back to the newest entries");
        List<Long> back = receipts(browser.get(href(second, "prev")).body());
        assertThat(back).isEqualTo(newest);
        assertThat(java.util.stream.Stream.concat(newest.stream(), rest.stream()).toList()).isEqualTo(all);
    }

    @Test
    void anErasedPersonsEntriesStayListedButUnreadable() throws Exception {
        Traffic t = traffic();
        new AccessHistory(api.db.jdbi()).erase(t.person());
        api.barrier();
        String html = signedIn(t.person()).get("/account/history").body();
        assertThat(receipts(html)).startsWith(t.deniedEntry(), t.friendsEntry(), t.profileEntry());
        assertThat(html).contains("This entry can no longer be read").doesNotContain("1 record: id, name, city");
    }

    @Test
    void entriesWrittenBeforeTheCategoryColumnGetTheirCategoryFromTheBackfillMigration() throws Exception {
        Traffic t = traffic();
        api.db.jdbi().useHandle(h -> h.execute("update access_events set category = null where subject_person = ?", t.person()));
        Browser browser = signedIn(t.person());
        assertThat(receipts(browser.get("/account/history?category=friends").body())).doesNotContain(t.friendsEntry());

        // V46 ran on stores from before V87, whose person keys were in the clear: the store is given that shape for it.
        api.db.jdbi().useHandle(h -> {
            h.execute("alter table person_keys add column aes_key bytea");
            h.createQuery("select person_id, wrapped_key from person_keys where wrapped_key is not null")
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), custos.server.keys.WrappedKeys.unwrap(ctx, rs.getLong(1), rs.getBytes(2))})
                    .list().forEach(row -> h.createUpdate("update person_keys set aes_key = :k where person_id = :p")
                            .bind("k", (byte[]) row[1]).bind("p", (Long) row[0]).execute());
        });
        try (java.sql.Connection c = api.db.dataSource().getConnection()) {
            new db.migration.V46__access_events_category_backfill().migrate(new org.flywaydb.core.api.migration.Context() {
                @Override
                public org.flywaydb.core.api.configuration.Configuration getConfiguration() {
                    return null;
                }

                @Override
                public java.sql.Connection getConnection() {
                    return c;
                }
            });
        }
        assertThat(receipts(browser.get("/account/history?category=friends").body())).startsWith(t.friendsEntry())
                .doesNotContain(t.profileEntry(), t.deniedEntry());
        assertThat(receipts(browser.get("/account/history?category=contacts").body())).containsExactly(t.deniedEntry());
    }

    /** The timeline lane's allowed and denied counts for Seekfar. */
    private static long[] seekfarLane(String html) {
        Matcher m = Pattern.compile("Seekfar Search: (\\d+) allowed, (\\d+) denied").matcher(html);
        assertThat(m.find()).as("a Seekfar lane").isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String href(String html, String rel) {
        Matcher m = Pattern.compile("<a href=\"([^\"]*)\" rel=\"" + rel + "\"").matcher(html);
        assertThat(m.find()).as("a link rel=" + rel).isTrue();
        return m.group(1).replace("&amp;", "&");
    }
}
