package custos.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A person's browser on a running gateway: keeps cookies, follows no redirects, signs in through /account/sign-in. */
public final class PersonBrowser {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public PersonBrowser(String base) {
        this.base = base;
    }

    /** A browser signed in with this login, after checking the sign-in went through. */
    public static PersonBrowser signedIn(String base, String login, String password) throws Exception {
        PersonBrowser b = new PersonBrowser(base);
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(b.get(AccountPages.SIGN_IN).body());
        assertThat(csrf.find()).as("a CSRF token on the sign-in form").isTrue();
        HttpResponse<String> in = b.post(AccountPages.SIGN_IN, "csrf=" + enc(csrf.group(1)) + "&login=" + enc(login)
                + "&password=" + enc(password));
        assertThat(in.headers().firstValue("location")).as("signed in as " + login).hasValue(AccountPages.HOME);
        return b;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
