package custos.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import custos.server.CustosApp;
import custos.server.http.ServerEdge;
import custos.server.http.TrustedProxies;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The client-secret throttle counts failures per address (30 per window, {@link ClientAuthenticator#LIMITS}). Two
 * gateways on one store: one reached directly, where a client's X-Forwarded-For is ignored, so changing it on every
 * guess escapes nothing; one that trusts its proxy (here 127.0.0.1), where the forwarded address is the bucket, so one
 * client's lockout is not everybody's behind the proxy. The access log names the same address.
 */
@Timeout(120)
class ThrottleBehindProxyTest {
    static final HttpClient http = HttpClient.newHttpClient();
    static TestStores.Target target;
    static CustosApp direct;
    static CustosApp behindProxy;

    @BeforeAll
    static void start() {
        target = TestStores.server();
        direct = CustosApp.start(Database.open(target.config()), CustosApp.Options.on("127.0.0.1", 0));
        behindProxy = CustosApp.start(Database.open(target.config()), CustosApp.Options.on("127.0.0.1", 0)
                .withEdge(new ServerEdge(null, TrustedProxies.parse("127.0.0.1/32, ::1"))));
    }

    @AfterAll
    static void stop() {
        for (CustosApp app : new CustosApp[] {direct, behindProxy}) {
            if (app != null) {
                app.close();
            }
        }
        if (target != null) {
            target.cleanup().run();
        }
    }

    @Test
    void aDirectClientCannotChooseItsBucketWithXForwardedFor() throws Exception {
        int perAddress = ClientAuthenticator.LIMITS.perAddress();
        for (int i = 0; i < perAddress; i++) {
            assertThat(guess(direct, "direct-" + i, "198.51.100." + i).statusCode()).as("guess " + i).isEqualTo(401);
        }
        assertThat(guess(direct, "direct-new", "198.51.100.250").statusCode()).isEqualTo(429);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnBucketAndTheAccessLogNamesIt() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("custos.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Level before = access.getLevel();
        access.addAppender(lines);
        access.setLevel(Level.INFO);
        try {
            int perAddress = ClientAuthenticator.LIMITS.perAddress();
            for (int i = 0; i < perAddress; i++) {
                // What the client wrote itself (left) is not believed; what the proxy appended (right) is.
                assertThat(guess(behindProxy, "proxied-" + i, "192.0.2." + i + ", 203.0.113.5").statusCode()).as("guess " + i)
                        .isEqualTo(401);
            }
            assertThat(guess(behindProxy, "proxied-new", "192.0.2.200, 203.0.113.5").statusCode()).isEqualTo(429);
            assertThat(guess(behindProxy, "proxied-other", "203.0.113.6").statusCode()).as("another client behind the proxy")
                    .isEqualTo(401);
            for (int i = 0; i < 100 && lines.list.size() < perAddress + 2; i++) {
                Thread.sleep(20); // the access line is written as the answer completes
            }
            assertThat(lines.list.stream().map(e -> Arrays.toString(e.getArgumentArray())))
                    .filteredOn(args -> args.contains("/oauth2/token")).hasSize(perAddress + 2)
                    .last().asString().contains("client=203.0.113.6");
            assertThat(lines.list.stream().map(e -> Arrays.toString(e.getArgumentArray())))
                    .filteredOn(args -> args.contains("client=203.0.113.5")).hasSize(perAddress + 1);
        } finally {
            access.detachAppender(lines);
            access.setLevel(before);
        }
    }

    /** A token request with a client id nobody has and a wrong secret, from {@code forwardedFor} as the proxy says. */
    private static HttpResponse<String> guess(CustosApp app, String clientId, String forwardedFor) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":wrong-secret").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
