package custos.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One page of records, each already cut to the granted fields, and the cursor of the next page if any. On the last
 * page {@code nextCursor} is absent from the JSON, not null, as the OpenAPI description says. A page whose records
 * can belong to other people (a thread's messages) also says how many were withheld and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page(List<Map<String, Object>> items, String nextCursor, Withheld withheld) {
    public Page {
        items = List.copyOf(items);
    }

    public Page(List<Map<String, Object>> items, String nextCursor) {
        this(items, nextCursor, null);
    }
}
