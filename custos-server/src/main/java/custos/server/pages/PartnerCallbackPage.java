package custos.server.pages;

import custos.server.http.WebFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * The demo partners' landing page at {@code /partner-callback/{slug}}: where the consent screen sends the browser
 * back, showing the code (or the error) for a developer following docs/api.md with curl.
 */
public final class PartnerCallbackPage implements WebFeature {
    private final Pages pages;

    public PartnerCallbackPage(Pages pages) {
        this.pages = pages;
    }

    /** What the callback received. */
    public record View(String partner, String code, String state, String error, String errorDescription) {}

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/partner-callback/{slug}", (req, res) -> pages.send(res, "callback.jte", new View(
                req.path().pathParameters().get("slug"),
                req.query().first("code").orElse(null), req.query().first("state").orElse(null),
                req.query().first("error").orElse(null), req.query().first("error_description").orElse(null))));
    }
}
