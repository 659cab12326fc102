package custos.partner;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the platform signed with a partner: the purposes it serves, when it is in force
 * ({@code validUntil} null means open-ended), when it must be recertified and every how many days
 * ({@code recertifyEveryDays}, 90 to 365), since when it is suspended for want of recertification
 * ({@code recertificationSuspendedAt}, null when it is not), how long a consent under it lasts, and how many distinct
 * people a partner may reach per day before the bulk-extraction guard throttles it.
 */
public record Agreement(long id, long partnerId, int version, Instant validFrom, Instant validUntil,
                        LocalDate nextRecertification, Duration consentLifetime, long dailyPeopleVolume,
                        List<Purpose> purposes, int recertifyEveryDays, Instant recertificationSuspendedAt) {
    /** The recertification interval unless an agreement says otherwise. */
    public static final int DEFAULT_RECERTIFY_DAYS = 365;
    /** The shortest interval an agreement may set. */
    public static final int MIN_RECERTIFY_DAYS = 90;

    public Agreement {
        purposes = List.copyOf(purposes);
        if (recertifyEveryDays < MIN_RECERTIFY_DAYS || recertifyEveryDays > DEFAULT_RECERTIFY_DAYS) {
            throw new IllegalArgumentException("an agreement is recertified every " + MIN_RECERTIFY_DAYS + " to "
                    + DEFAULT_RECERTIFY_DAYS + " days, got " + recertifyEveryDays);
        }
    }

    /** An agreement on the default interval, not suspended. */
    public Agreement(long id, long partnerId, int version, Instant validFrom, Instant validUntil,
                     LocalDate nextRecertification, Duration consentLifetime, long dailyPeopleVolume,
                     List<Purpose> purposes) {
        this(id, partnerId, version, validFrom, validUntil, nextRecertification, consentLifetime, dailyPeopleVolume,
                purposes, DEFAULT_RECERTIFY_DAYS, null);
    }

    /** Suspended for want of recertification at {@code when}. */
    public boolean recertificationSuspendedAt(Instant when) {
        return recertificationSuspendedAt != null && !when.isBefore(recertificationSuspendedAt);
    }

    public boolean inForceAt(Instant when) {
        return !when.isBefore(validFrom) && (validUntil == null || when.isBefore(validUntil));
    }

    public Optional<Purpose> purpose(String code) {
        // A loop, not a stream: this runs on every decision.
        for (Purpose p : purposes) {
            if (p.code().equals(code)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
