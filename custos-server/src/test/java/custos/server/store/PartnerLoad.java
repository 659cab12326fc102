package custos.server.store;

import custos.server.CustosApp;
import custos.server.replay.PartnerSide;
import custos.world.ReferenceWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * Partner API load for the store-fault tests: one person who consents through the real OAuth flow, a real access token,
 * and many clients reading that person's profile over real HTTP until stopped; every answer is kept with its status,
 * receipt and time, so a test can check that each access acknowledged with a 200 has its entry in the log.
 */
final class PartnerLoad implements AutoCloseable {
    static final long PERSON = 2;
    private static final String LOGIN = "person-2";
    private static final String PASSWORD = "a long test password";
    private static final String PARTNER = "seekfar";
    private static final String SECRET = ReferenceWorld.clientSecret(3, PARTNER);

    /** One answer: its status (0 for a request that failed without one), receipt header, when it came and how long it took. */
    record Answer(int status, String receipt, long endNanos, Duration took, String error) {
        boolean acknowledged() {
            return status == 200;
        }

        /** The log index a 200's receipt names ({@code index=N; ...}). */
        long index() {
            return Long.parseLong(receipt.replaceAll("^index=(\\d+).*", "$1"));
        }

        @Override
        public String toString() {
            return status + " " + receipt + (error == null ? "" : " " + error) + " in " + took.toMillis() + " ms";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    private PartnerLoad(String url, String token) {
        this.url = url;
        this.token = token;
    }

    /** Makes the world's person 2 consent afresh (consents withdrawn, settings reset), so the OAuth flow asks them. */
    static void prepare(Database seeded) {
        var consents = new JdbiConsentStore(seeded.jdbi());
        Instant before = Instant.now().minusSeconds(1);
        consents.forPerson(PERSON).stream().filter(c -> c.withdrawnAt() == null).forEach(c -> consents.withdraw(c.id(), before));
        new JdbiSettingsStore(seeded.jdbi()).newVersion(PERSON, Map.of(), before);
    }

    /** An access token for the partner seekfar to read person 2's profile, granted through the consent screen. */
    static String token(CustosApp app, String base) throws Exception {
        return grant(app, base).accessToken().orElseThrow();
    }

    /** The partner seekfar's tokens (access and refresh) for person 2's profile, granted through the consent screen. */
    static PartnerSide.Result grant(CustosApp app, String base) throws Exception {
        app.oauth().passwords().set(PERSON, LOGIN, PASSWORD);
        return new PartnerSide(base, PARTNER, SECRET, URI.create("http://localhost:8080/partner-callback/seekfar"))
                .authorize(LOGIN, PASSWORD, "social-search", List.of("profile:read"),
                        new PartnerSide.Answer(List.of("profile:read"), false, true));
    }

    /** A refresh-token grant by seekfar (client secret in Basic auth): a token request that writes to the store. */
    static HttpResponse<String> refresh(String base, String refreshToken) throws Exception {
        String credentials = java.util.Base64.getEncoder().encodeToString((enc(PARTNER) + ":" + enc(SECRET))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=" + enc(refreshToken)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Starts {@code clients} clients reading person 2's profile with {@code token} as fast as answers come. */
    static PartnerLoad start(String base, String token, int clients) {
        PartnerLoad load = new PartnerLoad(base + "/v1/people/" + PERSON + "/profile", token);
        for (int i = 0; i < clients; i++) {
            load.clients.add(Thread.ofVirtual().start(load::run));
        }
        return load;
    }

    private void run() {
        while (running) {
            answers.add(once());
        }
    }

    /** One partner request, outside the load: its answer is not counted among the load's. */
    Answer once() {
        long start = System.nanoTime();
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            return new Answer(res.statusCode(), res.headers().firstValue("Custos-Receipt").orElse(""), end,
                    Duration.ofNanos(end - start), res.statusCode() >= 500 ? res.body() : null);
        } catch (Exception e) {
            long end = System.nanoTime();
            return new Answer(0, "", end, Duration.ofNanos(end - start), e.toString());
        }
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Waits (polling, up to 60 s) until the answers so far satisfy {@code wanted}. */
    void await(String what, Predicate<List<Answer>> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!wanted.test(answers())) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the load never saw " + what + "; answers: " + summary());
            }
            Thread.sleep(50);
        }
    }

    /** Stops the clients and waits for their last answers. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(60));
        }
    }

    /** How many answers of each status, for failure messages. */
    String summary() {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        answers.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
        return counts.toString();
    }

    /** The log indexes of acknowledged accesses whose entry is not in the store. */
    static List<Long> missingEntries(Jdbi jdbi, List<Answer> answers) {
        Long[] acknowledged = answers.stream().filter(Answer::acknowledged).map(Answer::index).toArray(Long[]::new);
        return jdbi.withHandle(h -> h.createQuery(
                        "select i.idx from unnest(:ids) as i(idx) where not exists (select 1 from access_events e where e.idx = i.idx)")
                .bind("ids", acknowledged).mapTo(Long.class).list());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
