package custos.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.http.Json;
import custos.server.oauth.DemoLogin;
import custos.server.replay.PartnerSide;
import custos.world.ReferenceWorld;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The first partner requests of a fresh demo, made as a partner makes them: the real OAuth flow (the person logs in
 * and answers the consent screen, renewing what they had chosen) and the real partner API. Tunewave reads the demo
 * person's message threads; the friend's partner pages through the friend's friend list until it has reached the
 * friend-reached person. Each answer lands in the audit log, so those people's access histories start non-empty.
 */
public final class DemoTraffic {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String callbackBase;
    private final long seed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * @param base         where this process reaches the gateway (e.g. {@code http://127.0.0.1:8080})
     * @param callbackBase the base of the partners' registered callback pages (the demo's public address)
     */
    public DemoTraffic(String base, String callbackBase, long seed) {
        this.base = base;
        this.callbackBase = callbackBase;
        this.seed = seed;
    }

    /** Makes the requests; returns one line per partner request made, saying what it was. */
    public List<String> run(DemoCast cast) throws IOException, InterruptedException {
        List<String> done = new ArrayList<>();
        DemoLogin demo = cast.members().get(0).login();
        List<String> messages = List.of("messages:read", "messages:write", "messages:delete");
        String tunewave = token("tunewave", demo, "share-in-messages", messages, false);
        get(tunewave, "/v1/people/" + demo.personId() + "/threads?limit=5");
        done.add("Tunewave read the demo person's message threads");

        if (cast.friendReach().isPresent()) {
            DemoCast.FriendReach r = cast.friendReach().get();
            DemoLogin friend = cast.member(DemoCast.THE_FRIEND).login();
            String token = token(r.partnerSlug(), friend, r.purpose(), r.scopes(), true);
            String cursor = null;
            int pages = 0;
            boolean reached = false;
            while (!reached && pages++ < 20) {
                JsonNode page = Json.MAPPER.readTree(get(token, "/v1/people/" + r.friend() + "/friends?limit=200"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
                for (JsonNode item : page.path("items")) {
                    reached |= item.path("id").asLong() == r.person();
                }
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
                if (cursor == null) {
                    break;
                }
            }
            if (!reached) {
                throw new IOException(r.partnerName() + " did not reach person " + r.person() + " in the friend list of "
                        + r.friend() + ": the cast's friend-reached person does not show what it should");
            }
            done.add(r.partnerName() + " read the friend list of " + cast.member(DemoCast.THE_FRIEND).name()
                    + ", reaching " + cast.member(DemoCast.REACHED_THROUGH_A_FRIEND).name() + " through that consent");
        }
        return done;
    }

    private String token(String slug, DemoLogin person, String purpose, List<String> scopes, boolean friends)
            throws IOException, InterruptedException {
        PartnerSide side = new PartnerSide(base, slug, ReferenceWorld.clientSecret(seed, slug),
                URI.create(callbackBase + "/partner-callback/" + slug));
        PartnerSide.Result result = side.authorize(person.login(), person.password(), purpose, scopes,
                new PartnerSide.Answer(scopes, friends, true));
        return result.accessToken().orElseThrow(() -> new IOException(
                slug + " got no token for " + purpose + " from person " + person.personId() + ": " + result.refusal()));
    }

    private String get(String token, String path) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }
}
