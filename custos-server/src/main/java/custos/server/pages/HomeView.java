package custos.server.pages;

import java.util.List;

/** What the start page shows: the store's size and where to go next. */
public record HomeView(String version, long people, long partners, List<Link> links) {
    public HomeView {
        links = List.copyOf(links);
    }

    /** A labelled link on a page. */
    public record Link(String label, String href, String description) {}
}
