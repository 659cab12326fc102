package custos.server.audit;

import custos.server.http.Json;
import custos.server.http.WebFeature;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /log/keys}: every key the log has signed with, oldest first, each with the tree sizes it signed (a
 * rotated log's old receipts and checkpoints verify with the key valid for their size). Only public keys; an auditor
 * pins them from a source other than this server.
 */
public final class LogKeysEndpoint implements WebFeature {
    private final LogKeyring keyring;

    public LogKeysEndpoint(LogKeyring keyring) {
        this.keyring = keyring;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/log/keys", (req, res) -> {
            List<Map<String, Object>> keys = keyring.reloaded().stream().map(k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", k.verifierKey());
                m.put("fromSize", k.fromSize());
                m.put("untilSize", k.untilSize());
                m.put("current", k.untilSize() == null);
                m.put("registeredAt", k.registeredAt().toString());
                return m;
            }).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("origin", keyring.origin());
            body.put("keys", keys);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(Json.bytes(body));
        });
    }
}
