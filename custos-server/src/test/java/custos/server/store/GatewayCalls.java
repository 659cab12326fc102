package custos.server.store;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The plain HTTP calls the store-fault tests make of a running gateway: a GET, a token request, waiting for a status. */
final class GatewayCalls {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayCalls() {}

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client-credentials token request without client authentication: enough to meet the store check first. */
    static HttpResponse<String> tokenRequest(String base) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code url} every 100 ms until it answers {@code status} (at most 30 s); returns how long that took. */
    static Duration awaitStatus(String url, int status) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() - deadline < 0) {
            last = get(url).statusCode();
            if (last == status) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " stayed " + last + ", expected " + status);
    }
}
