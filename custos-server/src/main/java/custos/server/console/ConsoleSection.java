package custos.server.console;

import io.helidon.webserver.http.HttpRouting;

/**
 * One section of the console: a link in its navigation and the routes under it. A section is one small class and
 * its template; {@link Console#standard} lists the sections in one place, so adding one (findings, reports...) is one
 * line there.
 */
public interface ConsoleSection {
    /** The path of the section's page, under {@code /console/}. */
    String path();

    /** The navigation's words for it. */
    String title();

    /** Adds the section's routes; every handler starts at {@code ctx.page} or {@code ctx.operatorPage}. */
    void register(HttpRouting.Builder routing, ConsoleContext ctx);
}
