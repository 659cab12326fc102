package custos.compliance;

/** What a finding is about; the code is stable and part of the finding's id. */
public enum FindingKind {
    STALE_AGREEMENT("stale-agreement"),
    ACCESS_UNDER_ENDED_TERMS("access-under-ended-terms"),
    OVER_BROAD_GRANT("over-broad-grant"),
    DORMANT_PARTNER("dormant-partner"),
    RECERTIFICATION_OVERDUE("recertification-overdue"),
    SETTINGS_VIOLATING_ALLOWS("settings-violating-allows");

    private final String code;

    FindingKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
