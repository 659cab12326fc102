package custos.world;

import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.data.DataCategory;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The privacy settings people chose. Shares (of people's first version): about half keep the defaults, a quarter
 * switched partner sharing off for one to three sensitive categories, a tenth still let friends' partners see
 * their profile and friend list (the old platform default), a few are private everywhere, a few public. About a
 * fifth tightened their settings later (a second version switching partner sharing off for messages and contacts).
 */
final class SettingsMix {
    private static final int SECTION = 20;
    static final List<DataCategory> SENSITIVE = List.of(
            DataCategory.MESSAGES, DataCategory.CONTACTS, DataCategory.CALENDAR, DataCategory.PROFILE_CONTACT);

    /** The kind of first settings version a person has; the world test checks their shares. */
    enum Profile { DEFAULTS, PARTNERS_OFF_FOR_SOME, FRIENDS_PARTNERS_ON, PRIVATE, PUBLIC }

    private final long seed;

    SettingsMix(long seed) {
        this.seed = seed;
    }

    static Profile profile(double u) {
        if (u < 0.50) {
            return Profile.DEFAULTS;
        } else if (u < 0.75) {
            return Profile.PARTNERS_OFF_FOR_SOME;
        } else if (u < 0.85) {
            return Profile.FRIENDS_PARTNERS_ON;
        } else if (u < 0.93) {
            return Profile.PRIVATE;
        }
        return Profile.PUBLIC;
    }

    void settings(long personId, Instant joined, WorldSink sink) {
        SplittableRandom rng = Seeds.rng(seed, SECTION, personId);
        Map<DataCategory, CategorySetting> first = new EnumMap<>(DataCategory.class);
        if (personId == ReferenceWorld.DEMO_PERSON) {
            // The demo person switched partner sharing off for contacts and calendar, as in the articles.
            first.put(DataCategory.CONTACTS, new CategorySetting(Visibility.FRIENDS, false, false));
            first.put(DataCategory.CALENDAR, new CategorySetting(Visibility.FRIENDS, false, false));
            sink.settings(new PrivacySettings(personId, 1, joined, first));
            return;
        }
        switch (profile(rng.nextDouble())) {
            case DEFAULTS -> { }
            case PARTNERS_OFF_FOR_SOME -> {
                int n = 1 + rng.nextInt(3);
                int start = rng.nextInt(SENSITIVE.size());
                for (int i = 0; i < n; i++) {
                    first.put(SENSITIVE.get((start + i) % SENSITIVE.size()), new CategorySetting(Visibility.FRIENDS, false, false));
                }
            }
            case FRIENDS_PARTNERS_ON -> {
                first.put(DataCategory.PROFILE, new CategorySetting(Visibility.PUBLIC, true, true));
                first.put(DataCategory.FRIENDS, new CategorySetting(Visibility.FRIENDS, true, true));
            }
            case PRIVATE -> {
                for (DataCategory c : DataCategory.values()) {
                    boolean profile = c == DataCategory.PROFILE;
                    first.put(c, new CategorySetting(profile ? Visibility.FRIENDS : Visibility.ONLY_ME, profile, false));
                }
            }
            case PUBLIC -> {
                first.put(DataCategory.PROFILE, new CategorySetting(Visibility.PUBLIC, true, false));
                first.put(DataCategory.FRIENDS, new CategorySetting(Visibility.PUBLIC, true, false));
            }
        }
        sink.settings(new PrivacySettings(personId, 1, joined, first));
        if (rng.nextDouble() < 0.20) {
            long span = Duration.between(joined, ReferenceWorld.AS_OF).toMinutes();
            if (span > 2) {
                Map<DataCategory, CategorySetting> second = new EnumMap<>(first);
                second.put(DataCategory.MESSAGES, new CategorySetting(Visibility.FRIENDS, false, false));
                second.put(DataCategory.CONTACTS, new CategorySetting(Visibility.FRIENDS, false, false));
                Instant when = joined.plus(Duration.ofMinutes(1 + rng.nextLong(span - 1)));
                sink.settings(new PrivacySettings(personId, 2, when, second));
            }
        }
    }
}
