package custos.server.http;

import io.helidon.webserver.WebServerConfig;

/**
 * How clients reach the listener: over direct TLS or plain HTTP ({@code tls} null), and which proxies in front of it
 * may name the client's address (docs/operations.md, "The public URL" and "Behind a proxy").
 */
public record ServerEdge(ServerTls tls, TrustedProxies trustedProxies) {
    public static final ServerEdge PLAIN = new ServerEdge(null, TrustedProxies.NONE);

    public ServerEdge {
        trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
    }

    public boolean secure() {
        return tls != null;
    }

    /** Sets the listener's TLS, when there is any. */
    void configure(WebServerConfig.Builder server) {
        if (tls != null) {
            server.tls(tls.tls());
        }
    }
}
