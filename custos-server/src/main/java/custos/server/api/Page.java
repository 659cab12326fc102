package custos.server.api;

import java.util.List;
import java.util.Map;

/** One page of records, each already cut to the granted fields, and the cursor of the next page if any. */
public record Page(List<Map<String, Object>> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
