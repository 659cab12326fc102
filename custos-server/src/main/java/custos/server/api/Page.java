package custos.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One page of records, each already cut to the granted fields, and the cursor of the next page if any. On the last
 * page {@code nextCursor} is absent from the JSON, not null, as the OpenAPI description says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page(List<Map<String, Object>> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
