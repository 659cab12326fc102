package custos.bench;

import custos.audit.AccessEvent;
import custos.audit.AccessLog;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.policy.Reason;
import custos.data.Scope;
import custos.server.CustosApp;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The people's pages on a big store, through real HTTP with a signed-in session: first makes the audit log big
 * (entries about one person, co-subject entries reaching them, and traffic about everybody else, appended through
 * the gateway's own audit writer), then times {@code GET /account/history} (first page, a filtered page, an older
 * page) and any other paths given, sequentially after a warm-up. The log is only appended to when the person has
 * fewer entries than asked, so a second run times the same store again.
 *
 * <p>Usage: {@code PeoplePagesBench <data dir> [--person N] [--entries N] [--co-entries N] [--others N]
 * [--requests N] [--warmup N] [--hold-seconds N] [path ...]}; the store is CUSTOS_DB_URL when set.
 */
public final class PeoplePagesBench {
    private static final String PASSWORD = "people pages benchmark password";
    private static final int CONCURRENT_APPENDS = 2_000;

    private PeoplePagesBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PeoplePagesBench <data dir> [--person N] [--entries N] [--co-entries N]"
                    + " [--others N] [--requests N] [--warmup N] [--hold-seconds N] [path ...]");
            System.exit(2);
        }
        long person = 1;
        int entries = 10_000;
        int coEntries = 500;
        long others = 1_500_000;
        int requests = 50;
        int warmup = 50;
        int hold = 0;
        List<String> extra = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--person" -> person = Long.parseLong(args[++i]);
                case "--entries" -> entries = Integer.parseInt(args[++i]);
                case "--co-entries" -> coEntries = Integer.parseInt(args[++i]);
                case "--others" -> others = Long.parseLong(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--hold-seconds" -> hold = Integer.parseInt(args[++i]);
                default -> extra.add(args[i]);
            }
        }
        Database db = Database.open(DbConfig.fromEnvironment(Path.of(args[0])));
        System.out.println("people pages: store " + db.description());
        try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withKeys(custos.server.keys.KeySource.fromEnvironment(Path.of(args[0]))).withRates(1e9, 1e9))) {
            long have = count(db, "select count(*) from access_events where subject_person = " + person);
            if (have < entries) {
                fill(app, db, person, entries - (int) have, coEntries, others);
            }
            db.jdbi().useHandle(h -> h.execute("analyze access_events"));
            System.out.printf("people pages: log %,d entries; person %d: %,d as subject, %,d as co-subject%n",
                    count(db, "select count(*) from access_events"), person,
                    count(db, "select count(*) from access_events where subject_person = " + person),
                    count(db, "select count(*) from access_event_co_subjects where person_id = " + person));

            String base = "http://127.0.0.1:" + app.port();
            app.oauth().passwords().set(person, "bench-" + person, PASSWORD);
            HttpClient http = signIn(base, "bench-" + person);
            String first = get(http, base + "/account/history").body();
            Matcher older = Pattern.compile("<a href=\"([^\"]*)\" rel=\"next\"").matcher(first);
            List<String> paths = new ArrayList<>(List.of("/account/history", "/account/history?category=messages&outcome=denied",
                    "/account/history?partner=" + firstPartner(first) + "&from=" + java.time.LocalDate.now().minusDays(20)));
            if (older.find()) {
                String page2 = older.group(1).replace("&amp;", "&");
                paths.add(page2);
                Matcher deeper = Pattern.compile("<a href=\"([^\"]*)\" rel=\"next\"").matcher(get(http, base + page2).body());
                if (deeper.find()) {
                    paths.add(deeper.group(1).replace("&amp;", "&"));
                }
            }
            paths.addAll(extra);
            // Every path is warmed up before any is timed, so the first one timed does not pay for the JIT.
            for (String path : paths) {
                for (int i = 0; i < warmup; i++) {
                    get(http, base + path);
                }
            }
            System.out.printf("people pages: %d requests per path after %d warm-up each, one at a time; load average %s%n",
                    requests, warmup, loadAverage());
            for (String path : paths) {
                time(http, base, path, requests);
            }
            System.out.println("people pages: load average after " + loadAverage());
            if (hold > 0) {
                System.out.println("people pages: holding the store open for " + hold + " s");
                Thread.sleep(hold * 1000L);
            }
        }
        db.close();
    }

    /** Appends through the app's own audit writer: the person's entries spread evenly over the whole log. */
    private static void fill(CustosApp app, Database db, long person, int mine, int coEntries, long others) throws Exception {
        long people = count(db, "select count(*) from people");
        long[] partners = db.jdbi().withHandle(h -> h.createQuery("select id from partners order by id")
                .mapTo(Long.class).list()).stream().mapToLong(Long::longValue).toArray();
        long[] friends = db.jdbi().withHandle(h -> h.createQuery(
                        """
                        select case when person_a = :p then person_b else person_a end from friendships
                        where person_a = :p or person_b = :p limit 50""").bind("p", person)
                .mapTo(Long.class).list()).stream().mapToLong(Long::longValue).toArray();
        long total = mine + coEntries + others;
        Instant start = Instant.now().minus(Duration.ofDays(60));
        long stepMicros = Duration.ofDays(60).toNanos() / 1_000 / total;
        AccessLog log = app.accessLog();
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long began = System.nanoTime();
        System.out.printf("people pages: appending %,d entries (%,d about person %d, %,d reaching them through a friend)%n",
                total, mine, person, coEntries);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < CONCURRENT_APPENDS; t++) {
                pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(next.get() * 31 + System.nanoTime());
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        // The person's entries every total/mine-th slot, co-subject ones every total/coEntries-th.
                        boolean about = mine > 0 && i % (total / mine) == 0;
                        boolean reaching = !about && coEntries > 0 && friends.length > 0 && i % (total / coEntries) == 1;
                        long subject = about ? person : reaching ? friends[random.nextInt(friends.length)]
                                : 1 + random.nextLong(people);
                        log.append(event(random, start.plusNanos(i * stepMicros * 1_000), partners, subject,
                                reaching ? List.of(person) : List.of(), reaching));
                        long n = done.incrementAndGet();
                        if (n % 250_000 == 0) {
                            System.out.printf("people pages: %,d appended, %.0f per second%n", n,
                                    n / ((System.nanoTime() - began) / 1e9));
                        }
                    }
                    return null;
                });
            }
        }
        System.out.printf("people pages: appended %,d in %.1f s%n", done.get(), (System.nanoTime() - began) / 1e9);
    }

    private static AccessEvent event(SplittableRandom random, Instant at, long[] partners, long subject,
                                     List<Long> coSubjects, boolean friendList) {
        long partner = partners[random.nextInt(partners.length)];
        Scope scope = friendList ? Scope.parse("friends:read") : Scope.SERVED.get(random.nextInt(Scope.SERVED.size()));
        boolean allowed = random.nextInt(10) < 7;
        List<String> reasons = allowed ? List.of() : List.of(Reason.values()[random.nextInt(Reason.values().length)].name());
        int records = allowed ? 1 + random.nextInt(20) : 0;
        return new AccessEvent(UUID.randomUUID(), at, partner, "bench-client", "bench-purpose", scope.toString(), subject,
                subject, coSubjects, allowed ? Outcome.ALLOW : Outcome.DENY, reasons, DecisionBasis.NONE, records,
                allowed ? scope.category().fields() : List.of());
    }

    private static HttpClient signIn(String base, String login) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(get(http, base + "/account/sign-in").body());
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF field on the sign-in page");
        }
        String form = "csrf=" + enc(csrf.group(1)) + "&login=" + enc(login) + "&password=" + enc(PASSWORD);
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/account/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 303) {
            throw new IllegalStateException("sign-in answered " + res.statusCode());
        }
        return http;
    }

    private static void time(HttpClient http, String base, String path, int requests) throws Exception {
        double[] ms = new double[requests];
        int status = 0;
        int rows = 0;
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> res = get(http, base + path);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            status = res.statusCode();
            rows = res.body().split("class=\"entry\"", -1).length - 1;
        }
        Arrays.sort(ms);
        System.out.printf("people pages: GET %s -> %d (%d entries shown): median %.1f ms, p95 %.1f ms, max %.1f ms%n",
                path, status, rows, ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1], ms[ms.length - 1]);
    }

    private static String firstPartner(String html) {
        Matcher m = Pattern.compile("<option value=\"([a-z0-9-]+)\"").matcher(html);
        return m.find() ? m.group(1) : "";
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static long count(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
