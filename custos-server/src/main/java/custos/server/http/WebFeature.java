package custos.server.http;

import io.helidon.webserver.http.HttpRouting;

/** A capability's HTTP adapter: it adds its routes to the server's routing. */
@FunctionalInterface
public interface WebFeature {
    void register(HttpRouting.Builder routing);
}
