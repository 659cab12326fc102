package custos.server.account;

import custos.data.DataCategory;
import custos.server.audit.AccessHistory;
import custos.server.http.WebFeature;
import custos.server.oauth.ScopeWords;
import custos.server.oauth.Session;
import custos.server.oauth.Sessions;
import custos.server.pages.Pages;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /account/history}: every audit entry about the signed-in person, as subject or as co-subject, newest
 * first, {@value #PAGE_SIZE} a page by keyset ({@code before}/{@code after} an entry index), filtered by partner,
 * category, outcome and UTC days, with a per-partner timeline of the last 30 days. Each row links to its receipt.
 */
public final class HistoryPage implements WebFeature {
    public static final String PATH = "/account/history";
    static final int PAGE_SIZE = 50;

    private final Pages pages;
    private final SignedIn signedIn;
    private final AccessHistory history;
    private final HistoryRows rows;
    private final HistoryCounts counts;
    private final Clock clock;

    public HistoryPage(Pages pages, Sessions sessions, Jdbi jdbi, Clock clock) {
        this.pages = pages;
        this.signedIn = new SignedIn(sessions);
        this.history = new AccessHistory(jdbi);
        this.rows = new HistoryRows(jdbi);
        this.counts = new HistoryCounts(history);
        this.clock = clock;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::show);
    }

    private void show(ServerRequest req, ServerResponse res) {
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        long person = session.get().personId();
        List<AccessHistory.DayCount> days = counts.of(person);
        List<AccessHistory.Partner> partners = history.partners(
                days.stream().mapToLong(AccessHistory.DayCount::partnerId).distinct().toArray());
        HistoryQuery query = HistoryQuery.parse(req.query().rawValue(), partners);
        AccessHistory.Page page = history.page(person, query.filter(), query.before(), query.after(), PAGE_SIZE);
        Map<Long, String> names = partners.stream()
                .collect(Collectors.toMap(AccessHistory.Partner::id, AccessHistory.Partner::name));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Timeline timeline = Timeline.of(days, id -> names.getOrDefault(id, "partner " + id), today);
        String filters = query.filterQuery();
        HistoryView view = new HistoryView(partners, CATEGORIES, query.echo(), rows.of(page.entries(), names),
                page.olderBefore() == null ? null : PATH + "?" + filters + "before=" + page.olderBefore(),
                page.newerAfter() == null ? null : PATH + "?" + filters + "after=" + page.newerAfter(),
                query.filtered(), query.before() != null || query.after() != null, timeline, query.errors());
        if (!query.errors().isEmpty()) {
            res.status(Status.BAD_REQUEST_400);
        }
        pages.send(res, "account/history.jte", view);
    }

    private static final List<HistoryView.Choice> CATEGORIES = Arrays.stream(DataCategory.values())
            .map(c -> new HistoryView.Choice(c.code(), capitalized(ScopeWords.noun(c)))).toList();

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
