package custos.server.replay;

import com.fasterxml.jackson.databind.JsonNode;
import custos.partner.PartnerEntry;
import custos.partner.Purpose;
import custos.data.DataCategory;
import custos.data.Operation;
import custos.policy.PolicyView;
import custos.data.Scope;
import custos.server.api.PersonData;
import custos.server.audit.AccessHistory;
import custos.server.http.Json;
import custos.world.Archetype;
import custos.world.ReferenceWorld;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * A year of partner traffic driven through a running gateway over real HTTP: partners obtain tokens through the
 * real OAuth flow (each person answering the consent screen as they choose), then call the data endpoints the
 * way the articles describe, asking for everything their purposes name. The simulated clock is the gateway's, so
 * agreements, retired purposes and consents are judged on the simulated day.
 */
public final class Replay {
    /** Scope of the replay: how many days, how many requests a day, how many person–partner relationships. */
    public record Plan(int days, int requestsPerDay, int relationships, long randomSeed) {
        public Plan {
            if (days < 1 || requestsPerDay < 1 || relationships < 1) {
                throw new IllegalArgumentException("--days, --requests-per-day and --relationships must be positive");
            }
        }
    }

    private record Relationship(PartnerEntry partner, Purpose purpose, long person) {}

    private static final class Token {
        String value;
        Instant obtained;
        Instant retryAfter;
        final List<Long> sentMessages = new ArrayList<>();
    }

    /** The password the replay gives its people for the consent screen; they exist only for the replay. */
    public static final String PASSWORD = "replay-person-password";
    private static final Duration TOKEN_REFRESH = Duration.ofDays(80);

    private final String base;
    private final SimulatedClock clock;
    private final long worldSeed;
    private final PolicyView view;
    private final PersonData data;
    private final AccessHistory log;
    private final LongFunction<String> loginOf;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, PartnerTally> tallies = new LinkedHashMap<>();

    public Replay(String base, SimulatedClock clock, long worldSeed, PolicyView view, PersonData data, AccessHistory log,
                  LongFunction<String> loginOf) {
        this.base = base;
        this.clock = clock;
        this.worldSeed = worldSeed;
        this.view = view;
        this.data = data;
        this.log = log;
        this.loginOf = loginOf;
    }

    /** The people of a replay: a deterministic sample of people with friends (person 1, the demo person, is left alone). */
    public static List<Long> people(PolicyView view, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> chosen = new ArrayList<>();
        for (long person = 2; chosen.size() < count && person < 10_000_000; person++) {
            if (view.friendsOf(person).length >= 2 && random.nextInt(3) == 0) {
                chosen.add(person);
            }
        }
        return chosen;
    }

    public Map<String, PartnerTally> run(List<PartnerEntry> partners, List<Long> people, Plan plan, Instant end)
            throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom(plan.randomSeed());
        List<Relationship> relationships = relationships(partners, people, plan.relationships(), random);
        partners.forEach(p -> tallies.put(p.partner().slug(), new PartnerTally(p.partner().slug())));
        Map<Relationship, Token> tokens = new LinkedHashMap<>();
        Instant start = end.minus(Duration.ofDays(plan.days()));
        for (int day = 0; day < plan.days(); day++) {
            for (int i = 0; i < plan.requestsPerDay(); i++) {
                clock.set(start.plus(Duration.ofDays(day)).plusSeconds(8 * 3600 + (long) i * 50_000 / plan.requestsPerDay()));
                Relationship r = relationships.get(random.nextInt(relationships.size()));
                Token token = tokens.computeIfAbsent(r, k -> new Token());
                if (ensureToken(r, token, random)) {
                    call(r, token, random);
                } else {
                    // Under the old whitelist the partner would have read anyway: count what it would have got.
                    Scope scope = pickScope(r, random);
                    PartnerTally tally = tallies.get(r.partner().partner().slug());
                    int records = scope.operation() == Operation.READ ? whitelist(scope.category(), r.person()) : 1;
                    tally.whitelistRecords += records;
                    tally.whitelistFields += (long) records * scope.category().fields().size();
                }
            }
        }
        return tallies;
    }

    private List<Relationship> relationships(List<PartnerEntry> partners, List<Long> people, int count,
                                             SplittableRandom random) {
        List<Relationship> out = new ArrayList<>();
        List<String> archetypes = java.util.Arrays.stream(Archetype.values()).map(Archetype::slug).toList();
        while (out.size() < count) {
            for (PartnerEntry p : partners) {
                List<Purpose> purposes = p.agreements().stream().flatMap(a -> a.purposes().stream()).toList();
                if (purposes.isEmpty()) {
                    continue;
                }
                int weight = archetypes.contains(p.partner().slug()) ? 6 : 1;
                for (int w = 0; w < weight && out.size() < count; w++) {
                    for (Purpose purpose : purposes) {
                        out.add(new Relationship(p, purpose, people.get(random.nextInt(people.size()))));
                    }
                }
            }
        }
        return out;
    }

    private boolean ensureToken(Relationship r, Token token, SplittableRandom random) throws IOException, InterruptedException {
        Instant now = clock.instant();
        if (token.value != null && token.obtained.plus(TOKEN_REFRESH).isAfter(now)) {
            return true;
        }
        if (token.retryAfter != null && token.retryAfter.isAfter(now)) {
            return false;
        }
        List<String> scopes = r.purpose().scopes().stream().map(Scope::toString).sorted().toList();
        List<String> ticked = new ArrayList<>();
        for (String s : scopes) {
            if (random.nextInt(100) >= 15) {
                ticked.add(s);
            }
        }
        if (ticked.isEmpty()) {
            ticked.add(scopes.get(0));
        }
        boolean allow = random.nextInt(100) < 85;
        PartnerSide side = new PartnerSide(base, r.partner().partner().slug(),
                ReferenceWorld.clientSecret(worldSeed, r.partner().partner().slug()),
                URI.create("http://localhost:8080/partner-callback/" + r.partner().partner().slug()));
        var value = side.authorize(loginOf.apply(r.person()), PASSWORD, r.purpose().code(), scopes,
                new PartnerSide.Answer(ticked, r.purpose().friendsData() && random.nextInt(100) < 60, allow));
        if (value.accessToken().isEmpty()) {
            PartnerTally tally = tallies.get(r.partner().partner().slug());
            tally.refusedAtAuthorize++;
            tally.refusedBy.merge(value.refusal(), 1L, Long::sum);
            token.value = null;
            token.retryAfter = now.plus(Duration.ofDays(30));
            return false;
        }
        token.value = value.token();
        token.obtained = now;
        return true;
    }

    private void call(Relationship r, Token token, SplittableRandom random) throws IOException, InterruptedException {
        Scope scope = pickScope(r, random);
        long person = r.person();
        long subject = person;
        long[] friends = view.friendsOf(person);
        if ((r.purpose().friendsData() || scope.category() == DataCategory.FRIENDS) && friends.length > 0
                && random.nextInt(100) < 40) {
            subject = friends[random.nextInt(friends.length)];
        }
        PartnerTally tally = tallies.get(r.partner().partner().slug());
        HttpResponse<String> res;
        String path = "/v1/people/" + subject;
        int whitelistRecords;
        if (scope.operation() == Operation.WRITE) {
            long to = friends.length == 0 ? person : friends[random.nextInt(friends.length)];
            res = send("POST", token, path + "/messages", "{\"to\":" + to + ",\"body\":\"Have you seen this?\"}");
            whitelistRecords = 1;
            if (res.statusCode() == 201) {
                token.sentMessages.add(Json.MAPPER.readTree(res.body()).path("id").asLong());
            }
        } else if (scope.operation() == Operation.DELETE) {
            if (token.sentMessages.isEmpty()) {
                return;
            }
            res = send("DELETE", token, path + "/messages/" + token.sentMessages.remove(0), null);
            whitelistRecords = 1;
        } else {
            String endpoint = switch (scope.category()) {
                case PROFILE, PROFILE_CONTACT -> "/profile";
                case FRIENDS -> "/friends";
                case MESSAGES -> "/threads";
                case CONTACTS -> "/contacts";
                case CALENDAR -> "/calendar/events";
            };
            res = send("GET", token, path + endpoint, null);
            whitelistRecords = whitelist(scope.category(), subject);
            if (scope.category() == DataCategory.MESSAGES && res.statusCode() == 200) {
                // A partner that may list threads reads one of them next: the messages its people's friends wrote
                // are theirs to allow, and the page says how many were withheld.
                JsonNode threads = Json.MAPPER.readTree(res.body()).path("items");
                tally(tally, scope, res, whitelistRecords, token);
                if (threads.isEmpty()) {
                    return;
                }
                long thread = threads.get(random.nextInt(threads.size())).path("id").asLong();
                res = send("GET", token, path + "/threads/" + thread + "/messages", null);
                whitelistRecords = data.messages(thread, 0, 50).size();
            }
        }
        tally(tally, scope, res, whitelistRecords, token);
    }

    /**
     * Counts one answer: allowed with what it returned and what it withheld of other people, or denied and why. The
     * why is the log's: a partner sees a friend it may not see as a 404, like nothing at all, but the entry behind
     * the receipt keeps the true reasons, and those are what the operator's report shows.
     */
    private void tally(PartnerTally tally, Scope scope, HttpResponse<String> res, int whitelistRecords, Token token)
            throws IOException {
        tally.requests++;
        tally.whitelistRecords += whitelistRecords;
        tally.whitelistFields += (long) whitelistRecords * scope.category().fields().size();
        int status = res.statusCode();
        if (status / 100 == 2) {
            tally.allowed++;
            JsonNode body = res.body().isEmpty() ? null : Json.MAPPER.readTree(res.body());
            if (body != null && body.has("items")) {
                tally.records += body.get("items").size();
                body.get("items").forEach(item -> {
                    tally.fields += item.size() - (item.has("withheld") ? 1 : 0);
                    tally.withheldParticipants += item.path("withheld").path("count").asLong();
                });
                tally.withheldMessages += body.path("withheld").path("count").asLong();
            } else {
                tally.records++;
                tally.fields += body == null ? 0 : body.size();
            }
            return;
        }
        List<String> reasons = new ArrayList<>();
        java.util.Optional<String> receipt = res.headers().firstValue(custos.server.api.Gate.RECEIPT_HEADER);
        if (status == 401) {
            reasons.add("TOKEN_EXPIRED");
            token.value = null;
        } else if (receipt.isPresent()) {
            java.util.regex.Matcher index = java.util.regex.Pattern.compile("index=(\\d+)").matcher(receipt.get());
            if (!index.find()) {
                throw new IllegalStateException("a receipt without an index: " + receipt.get());
            }
            reasons.addAll(log.event(Long.parseLong(index.group(1)))
                    .orElseThrow(() -> new IllegalStateException("no readable entry behind " + receipt.get())).reasons());
        } else if (status == 404) {
            reasons.add("NOT_FOUND");
        } else {
            Json.MAPPER.readTree(res.body()).path("reasons").forEach(n -> reasons.add(n.asText()));
            if (reasons.isEmpty()) {
                reasons.add("HTTP_" + status);
            }
        }
        tally.denied(reasons);
    }

    private static Scope pickScope(Relationship r, SplittableRandom random) {
        List<Scope> scopes = r.purpose().scopes().stream().sorted(java.util.Comparator.comparing(Scope::toString)).toList();
        return scopes.get(random.nextInt(scopes.size()));
    }

    /** What the old whitelist would have returned for this read: every record of the category, every field. */
    private int whitelist(DataCategory category, long subject) {
        int page = 50;
        return switch (category) {
            case PROFILE, PROFILE_CONTACT -> 1;
            case FRIENDS -> Math.min(page, view.friendsOf(subject).length);
            case MESSAGES -> data.threads(subject, 0, page).size();
            case CONTACTS -> data.contacts(subject, 0, page).size();
            case CALENDAR -> data.events(subject, 0, page).size();
        };
    }

    private HttpResponse<String> send(String method, Token token, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token.value);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
