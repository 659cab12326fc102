package custos.server.policy;

import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.SettingsStore;
import custos.data.DataCategory;
import java.time.Instant;
import java.util.Map;

/** A person changing their privacy settings; effective on every gateway instance when the call returns. */
public final class SettingsChanges {
    private final SettingsStore settings;
    private final ChangeBarrier barrier;

    public SettingsChanges(SettingsStore settings, ChangeBarrier barrier) {
        this.settings = settings;
        this.barrier = barrier;
    }

    /** Stores the person's next settings version, in force from {@code effectiveFrom}. */
    public PrivacySettings change(long personId, Map<DataCategory, CategorySetting> categories, Instant effectiveFrom) {
        PrivacySettings next = settings.newVersion(personId, categories, effectiveFrom);
        barrier.awaitEverywhere();
        return next;
    }
}
