package custos.people;

import custos.data.DataCategory;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a person's privacy settings, in force from {@code effectiveFrom} until the next version.
 * Versions are never changed, only superseded, so any past decision can be replayed.
 */
public record PrivacySettings(long personId, int version, Instant effectiveFrom, Map<DataCategory, CategorySetting> categories) {

    /** What a new person gets: friends see everything, partners reach it only with consent, friends' partners never. */
    public static final CategorySetting DEFAULT = new CategorySetting(Visibility.FRIENDS, true, false);

    public PrivacySettings {
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        EnumMap<DataCategory, CategorySetting> copy = new EnumMap<>(DataCategory.class);
        copy.putAll(categories);
        categories = Map.copyOf(copy);
    }

    public CategorySetting of(DataCategory category) {
        return categories.getOrDefault(category, DEFAULT);
    }
}
