package custos.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.data.DataCategory;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/** The jsonb form of settings categories: {"messages": {"visibility": "FRIENDS", "partners": false, ...}}. */
final class SettingsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SettingsJson() {}

    /** Only categories that differ from the default are written; absent ones read back as the default. */
    static String write(Map<DataCategory, CategorySetting> categories) {
        StringBuilder out = new StringBuilder("{");
        for (DataCategory c : DataCategory.values()) {
            CategorySetting s = categories.get(c);
            if (s == null || s.equals(PrivacySettings.DEFAULT)) {
                continue;
            }
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append('"').append(c.code()).append("\": {\"visibility\": \"").append(s.visibility().name())
                    .append("\", \"partners\": ").append(s.partnersMayReach())
                    .append(", \"friendsPartners\": ").append(s.friendsPartnersMayReach()).append('}');
        }
        return out.append('}').toString();
    }

    static Map<DataCategory, CategorySetting> read(String json) {
        Map<DataCategory, CategorySetting> categories = new EnumMap<>(DataCategory.class);
        try {
            JsonNode root = JSON.readTree(json);
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode v = f.getValue();
                categories.put(DataCategory.fromCode(f.getKey()), new CategorySetting(
                        Visibility.valueOf(v.path("visibility").asText("FRIENDS")),
                        v.path("partners").asBoolean(true), v.path("friendsPartners").asBoolean(false)));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("unreadable privacy settings in the store: " + e.getOriginalMessage(), e);
        }
        return categories;
    }
}
