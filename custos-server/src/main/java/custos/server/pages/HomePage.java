package custos.server.pages;

import custos.server.http.WebFeature;
import io.helidon.webserver.http.HttpRouting;
import java.util.function.Supplier;

/** The start page at {@code /}. */
public final class HomePage implements WebFeature {
    private final Pages pages;
    private final Supplier<HomeView> view;

    public HomePage(Pages pages, Supplier<HomeView> view) {
        this.pages = pages;
        this.view = view;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/", (req, res) -> pages.send(res, "home.jte", view.get()));
    }
}
