package custos.server.pages;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Map;

/** A posted {@code application/x-www-form-urlencoded} form of a person's page: its fields by name, each with its values in the order posted. */
public record Form(Map<String, List<String>> fields) {
    public Form {
        fields = Map.copyOf(fields);
    }

    /** The form of {@code req}; no body reads as an empty form, which every page treats as missing fields. */
    public static Form of(ServerRequest req) {
        return new Form(URLUtils.parseParameters(req.content().hasEntity() ? req.content().as(String.class) : ""));
    }

    /** The first value of {@code name}, or null when the form has none. */
    public String first(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of {@code name}, in the order posted (e.g. the ticked checkboxes). */
    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }
}
