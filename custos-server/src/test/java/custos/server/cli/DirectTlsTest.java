package custos.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.CustosApp;
import custos.server.config.Settings;
import custos.server.http.Json;
import custos.server.http.SelfSigned;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway configured with tls.cert and tls.key (as {@code serve} reads them) serves over https with that certificate,
 * names itself https://localhost:port when no public URL is given, and does not answer plain HTTP on its port.
 */
@Timeout(90)
class DirectTlsTest {
    @TempDir
    static Path dir;

    static TestStores.Target target;
    static CustosApp app;
    static SelfSigned pair;

    @BeforeAll
    static void start() {
        pair = SelfSigned.rsa(dir, "gateway");
        // The data folder in the test's own: the gateway's key files go there, not into the working directory's data/.
        Settings settings = Settings.load(Map.of("host", "127.0.0.1", "port", "0", "tls.cert", pair.cert().toString(),
                "tls.key", pair.key().toString(), "data", dir.resolve("data").toString()), Map.of(), null);
        target = TestStores.server();
        app = CustosApp.start(Database.open(target.config()), ServeCommand.options(settings));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (target != null) {
            target.cleanup().run();
        }
    }

    @Test
    void theMetadataIsServedOverHttpsAndNamesHttpsEndpoints() throws Exception {
        String origin = "https://localhost:" + app.port();
        HttpResponse<String> res = trusting(pair).send(HttpRequest.newBuilder(URI.create(origin + "/.well-known/oauth-authorization-server"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.sslSession()).isPresent();
        assertThat(res.sslSession().get().getPeerCertificates()[0]).isEqualTo(pair.certificate());
        JsonNode m = Json.MAPPER.readTree(res.body());
        assertThat(m.get("issuer").asText()).isEqualTo(origin);
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "introspection_endpoint", "revocation_endpoint")) {
            assertThat(m.get(endpoint).asText()).as(endpoint).startsWith(origin + "/oauth2/");
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/.well-known/oauth-authorization-server")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedTheHandshake() {
        HttpClient defaults = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(URI.create("https://localhost:" + app.port() + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    /** A client that trusts exactly this self-signed certificate (and checks the host name against it). */
    static HttpClient trusting(SelfSigned pair) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("gateway", pair.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
