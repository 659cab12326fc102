package custos.people;

import custos.data.DataCategory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Where the versions of people's privacy settings are kept. Every new version lands in the policy change feed. */
public interface SettingsStore {

    /** The latest version, or version 0 with all defaults if the person never had settings stored. */
    PrivacySettings current(long personId);

    /** The version in force at {@code at}, if any was. */
    Optional<PrivacySettings> inForceAt(long personId, Instant at);

    List<PrivacySettings> history(long personId);

    /** Stores the next version, effective from {@code effectiveFrom}; categories left out keep the default. */
    PrivacySettings newVersion(long personId, Map<DataCategory, CategorySetting> categories, Instant effectiveFrom);

    /** Streams every person's latest version, ordered by person id. */
    void forEachCurrent(Consumer<PrivacySettings> sink);

    /** Streams every version of everyone's settings, ordered by person then version (for replaying the past). */
    void forEachVersion(Consumer<PrivacySettings> sink);
}
