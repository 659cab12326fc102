package custos.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Serves the few static assets under {@code /static/} from the classpath; names are checked, never joined blindly. */
public final class StaticFiles implements WebFeature {
    private static final Map<String, String> TYPES = Map.of(
            "css", "text/css; charset=UTF-8", "js", "text/javascript; charset=UTF-8", "svg", "image/svg+xml");

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/static/{name}", (req, res) -> {
            String name = req.path().pathParameters().get("name");
            String ext = name.substring(name.lastIndexOf('.') + 1);
            if (!name.matches("[a-z0-9-]+\\.[a-z]+") || !TYPES.containsKey(ext)) {
                throw ProblemException.of(ProblemType.NOT_FOUND, "No static file " + name);
            }
            try (InputStream in = StaticFiles.class.getResourceAsStream("/static/" + name)) {
                if (in == null) {
                    throw ProblemException.of(ProblemType.NOT_FOUND, "No static file " + name);
                }
                res.header(HeaderNames.CONTENT_TYPE, TYPES.get(ext));
                res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
                res.send(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
