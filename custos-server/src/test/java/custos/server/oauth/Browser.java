package custos.server.oauth;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A person's browser in the tests: keeps cookies, never follows redirects, reads hidden form fields. */
public final class Browser {
    private final HttpClient http;
    private final String base;

    public Browser(String base) {
        this(base, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    private Browser(String base, CookieHandler cookies) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A browser on another machine, as the server sees it: its requests come from {@code from} (e.g. 127.0.0.7). */
    public static Browser from(String base, InetAddress from) {
        return new Browser(base, HttpClient.newBuilder().localAddress(from)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    private Browser(String base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /**
     * A browser that reaches the server over https through a TLS-terminating proxy: it talks plain HTTP to
     * {@code base}, but keeps and sends cookies as for an https page, so it returns Secure cookies as a real one would.
     */
    static Browser behindTlsProxy(String base) {
        CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        return new Browser(base, new CookieHandler() {
            @Override
            public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
                return jar.get(https(uri), headers);
            }

            @Override
            public void put(URI uri, Map<String, List<String>> headers) throws IOException {
                jar.put(https(uri), headers);
            }
        });
    }

    private static URI https(URI uri) {
        try {
            return new URI("https", uri.getUserInfo(), uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
        if (headers.length > 0) {
            req.headers(headers);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, List<Map.Entry<String, String>> fields) throws Exception {
        String body = fields.stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no hidden field " + name + " in:\n" + html);
        }
        return m.group(1).replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    public static String location(HttpResponse<?> res) {
        return res.headers().firstValue("location").orElseThrow(() -> new AssertionError("no Location, status "
                + res.statusCode() + ": " + res.body()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
