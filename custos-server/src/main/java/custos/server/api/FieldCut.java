package custos.server.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Invariant 7 at the edge: a record leaves with only the fields its decision allowed, nothing else. */
public final class FieldCut {
    private FieldCut() {}

    public static Map<String, Object> keep(Map<String, Object> record, Collection<String> allowed) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String field : allowed) {
            if (record.containsKey(field)) {
                out.put(field, record.get(field));
            }
        }
        return out;
    }
}
