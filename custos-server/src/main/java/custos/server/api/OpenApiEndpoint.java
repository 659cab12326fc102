package custos.server.api;

import custos.server.http.WebFeature;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI 3.1 description of the partner API at {@code /v1/openapi.json}. */
public final class OpenApiEndpoint implements WebFeature {
    private final byte[] document;

    public OpenApiEndpoint() {
        try (InputStream in = OpenApiEndpoint.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("api/openapi.json is missing from the jar");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/v1/openapi.json", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(document);
        });
    }
}
