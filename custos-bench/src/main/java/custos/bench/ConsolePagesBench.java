package custos.bench;

import custos.server.CustosApp;
import custos.server.console.StaffAccounts;
import custos.server.console.StaffRole;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's pages on a big store, through real HTTP with an operator's session: starts the real gateway on the
 * store, signs an operator in, times the first inventory page after the start (it counts live consents and rolls up
 * the log's backlog), then each path sequentially after a warm-up. Fill the log first with {@link PeoplePagesBench}.
 *
 * <p>Usage: {@code ConsolePagesBench <data dir> [--requests N] [--warmup N] [path ...]}; the store is CUSTOS_DB_URL
 * when set.
 */
public final class ConsolePagesBench {
    private static final String LOGIN = "bench-operator";
    private static final String PASSWORD = "console pages benchmark password";

    private ConsolePagesBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ConsolePagesBench <data dir> [--requests N] [--warmup N] [path ...]");
            System.exit(2);
        }
        int requests = 50;
        int warmup = 30;
        List<String> paths = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            paths.addAll(List.of("/console/partners", "/console/partners?sort=volume&dir=desc", "/console/partners?kind=BANK&q=pay",
                    "/console/partners/tunewave", "/console/partners.csv", "/console/actions"));
        }
        Database db = Database.open(DbConfig.fromEnvironment(Path.of(args[0])));
        System.out.println("console pages: store " + db.description());
        System.out.printf("console pages: %,d people, %,d partners, %,d consents, %,d log entries%n",
                PeoplePagesBench.count(db, "select count(*) from people"), PeoplePagesBench.count(db, "select count(*) from partners"),
                PeoplePagesBench.count(db, "select count(*) from consents"), PeoplePagesBench.count(db, "select count(*) from access_events"));
        StaffAccounts staff = new StaffAccounts(db.jdbi(), Clock.systemUTC());
        if (staff.byLogin(LOGIN).isPresent()) {
            staff.setPassword(LOGIN, PASSWORD);
        } else {
            staff.add(LOGIN, StaffRole.OPERATOR, PASSWORD);
        }
        try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withKeys(custos.server.keys.KeySource.fromEnvironment(Path.of(args[0]))))) {
            String base = "http://127.0.0.1:" + app.port();
            HttpClient http = signIn(base);
            long t0 = System.nanoTime();
            HttpResponse<String> first = PeoplePagesBench.get(http, base + "/console/partners");
            System.out.printf("console pages: first /console/partners after the start -> %d in %.1f ms (counts live consents and"
                    + " rolls up the log's entries since the stored position)%n", first.statusCode(), (System.nanoTime() - t0) / 1e6);
            for (String path : paths) {
                for (int i = 0; i < warmup; i++) {
                    PeoplePagesBench.get(http, base + path);
                }
            }
            System.out.printf("console pages: %d requests per path after %d warm-up each, one at a time; load average %s%n",
                    requests, warmup, PeoplePagesBench.loadAverage());
            for (String path : paths) {
                double[] ms = new double[requests];
                int status = 0;
                int bytes = 0;
                for (int i = 0; i < requests; i++) {
                    long s = System.nanoTime();
                    HttpResponse<String> res = PeoplePagesBench.get(http, base + path);
                    ms[i] = (System.nanoTime() - s) / 1e6;
                    status = res.statusCode();
                    bytes = res.body().length();
                }
                Arrays.sort(ms);
                System.out.printf("console pages: GET %s -> %d (%,d chars): median %.1f ms, p95 %.1f ms, max %.1f ms%n", path, status,
                        bytes, ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1], ms[ms.length - 1]);
            }
            System.out.println("console pages: load average after " + PeoplePagesBench.loadAverage());
        }
        db.close();
    }

    private static HttpClient signIn(String base) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(PeoplePagesBench.get(http, base + "/console/sign-in").body());
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF field on the console's sign-in page");
        }
        String form = "csrf=" + PeoplePagesBench.enc(csrf.group(1)) + "&login=" + LOGIN + "&password=" + PeoplePagesBench.enc(PASSWORD);
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 303) {
            throw new IllegalStateException("console sign-in answered " + res.statusCode());
        }
        return http;
    }
}
