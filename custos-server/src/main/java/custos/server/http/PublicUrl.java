package custos.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The address partners and browsers reach the gateway by, e.g. {@code https://custos.example.com}: an origin (scheme,
 * host, optional port) without a trailing slash. It is configured, never guessed from a request's {@code Host} or
 * forwarded headers, because behind a TLS-terminating proxy those are whatever the client or the proxy says.
 * A path is refused: the gateway's routes, redirects and cookie paths all sit at the root of its origin.
 */
public record PublicUrl(URI uri) {

    public PublicUrl {
        check(uri);
    }

    /**
     * Reads an operator's value; one trailing slash is dropped, so {@code https://c.example/} and
     * {@code https://c.example} are the same URL. Throws IllegalArgumentException with a one-line reason.
     */
    public static PublicUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the public URL is empty; give an absolute URL such as https://custos.example.com");
        }
        String trimmed = text.strip();
        try {
            URI given = new URI(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            check(given);
            if (given.getPort() == 0) {
                // Port 0 means "any free port" to a listener; nobody can be told to reach that.
                throw new IllegalArgumentException("port 0 is out of range");
            }
            // Scheme and host compare case-insensitively; the issuer is written one canonical way.
            return new PublicUrl(new URI(given.getScheme().toLowerCase(Locale.ROOT), null,
                    given.getHost().toLowerCase(Locale.ROOT), given.getPort(), null, null, null));
        } catch (URISyntaxException e) {
            throw refused(trimmed, "it is not a URL (" + e.getReason() + ")");
        } catch (IllegalArgumentException e) {
            throw refused(trimmed, e.getMessage());
        }
    }

    /**
     * Where a server that was given no public URL is reached: {@code http://localhost:port}. Port 0 stands for the
     * port a server on port 0 has not yet been given; it is replaced once the server listens.
     */
    public static PublicUrl localhost(int port) {
        return localhost(port, false);
    }

    /** As {@link #localhost(int)}, with https for a server that speaks TLS itself. */
    public static PublicUrl localhost(int port, boolean https) {
        return new PublicUrl(URI.create((https ? "https" : "http") + "://localhost:" + port));
    }

    /** True for https: cookies are then marked Secure. */
    public boolean secure() {
        return uri.getScheme().equalsIgnoreCase("https");
    }

    /** An absolute URL of {@code path} (which starts with a slash) on this origin. */
    public String resolve(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        return uri + path;
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    private static void check(URI uri) {
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw new IllegalArgumentException("it must be an absolute http or https URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https, not " + scheme);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("it names no host");
        }
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException("port " + uri.getPort() + " is out of range");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("it must not carry a user name or password");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("it must not carry a query or a fragment");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("it must be an origin without a path (the gateway serves from the root)");
        }
    }

    private static IllegalArgumentException refused(String text, String reason) {
        return new IllegalArgumentException("public URL " + text.strip() + " refused: " + reason);
    }
}
