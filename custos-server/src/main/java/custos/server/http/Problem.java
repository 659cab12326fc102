package custos.server.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An RFC 9457 problem detail: the body of every error Custos returns over HTTP. */
public record Problem(ProblemType type, String detail, Map<String, Object> extensions) {

    public Problem {
        // Insertion order, not Map.copyOf's per-JVM order: a problem's members read the same on every run (docs/api.md).
        Map<String, Object> copy = new LinkedHashMap<>();
        extensions.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        extensions = Collections.unmodifiableMap(copy);
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, Map.of());
    }

    public Problem with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(key, value);
        return new Problem(type, detail, more);
    }

    /** The JSON members in RFC 9457 order, extensions after the standard ones. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status().code());
        if (detail != null) {
            body.put("detail", detail);
        }
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(extensions);
        return body;
    }
}
