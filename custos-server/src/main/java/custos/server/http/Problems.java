package custos.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** Writes problems as {@code application/problem+json}. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    public static void send(ServerRequest req, ServerResponse res, Problem problem, Map<String, String> headers) {
        res.status(problem.type().status());
        headers.forEach((name, value) -> res.header(HeaderNames.create(name), value));
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.send(Json.bytes(problem.body(req.path().path())));
    }

    public static void send(ServerRequest req, ServerResponse res, Problem problem) {
        send(req, res, problem, Map.of());
    }
}
