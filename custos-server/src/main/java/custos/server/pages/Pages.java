package custos.server.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** Renders the precompiled jte templates under {@code src/main/jte} into HTML responses. */
public final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public String render(String template, Object model) {
        StringOutput out = new StringOutput();
        engine.render(template, model, out);
        return out.toString();
    }

    /** A person's own pages and forms (sign-in, consent, account) are neither framed (clickjacking) nor cached. */
    public static void personalHeaders(ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("X-Frame-Options"), "DENY");
        res.header(HeaderNames.create("Content-Security-Policy"), "frame-ancestors 'none'");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    }

    public void send(ServerResponse res, String template, Object model) {
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
        res.send(render(template, model));
    }
}
