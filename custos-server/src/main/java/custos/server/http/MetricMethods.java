package custos.server.http;

import io.helidon.http.Method;
import java.util.Set;

/**
 * The method label of request metrics comes from a closed set: any method a client invents is counted as
 * {@code OTHER}, so requests cannot create metric series without bound.
 */
final class MetricMethods {
    private static final Set<String> KNOWN = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private MetricMethods() {}

    static String label(Method method) {
        String text = method.text();
        return KNOWN.contains(text) ? text : "OTHER";
    }
}
