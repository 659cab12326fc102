package custos.bench.load;

import custos.data.DataCategory;
import custos.server.api.FieldCut;
import custos.server.api.PersonData;
import custos.server.http.Json;
import custos.server.http.WebFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/**
 * The baseline of the load benchmark, and the reason this class lives in custos-bench and never in the production
 * jar: the same profile read as {@code GET /v1/people/{id}/profile} (same store query, same field cut, same JSON),
 * with no token check, no decision and no audit entry. The gateway's overhead is the difference between the two.
 */
public final class UncheckedProfile implements WebFeature {
    public static final String PATH = "/bench-unchecked/v1/people/{id}/profile";

    private final PersonData data;

    public UncheckedProfile(PersonData data) {
        this.data = data;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::profile);
    }

    private void profile(ServerRequest req, ServerResponse res) {
        long id = Long.parseLong(req.path().pathParameters().get("id"));
        Map<String, Object> person = data.profile(id).orElse(null);
        if (person == null) {
            res.status(Status.NOT_FOUND_404).send();
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(FieldCut.keep(person, DataCategory.PROFILE.fields())));
    }
}
