package custos.partner;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the platform signed with a partner: the purposes it serves, when it is in force
 * ({@code validUntil} null means open-ended), when it must be recertified, how long a consent under it lasts,
 * and how many distinct people a partner may reach per day before the bulk-extraction guard throttles it.
 */
public record Agreement(long id, long partnerId, int version, Instant validFrom, Instant validUntil,
                        LocalDate nextRecertification, Duration consentLifetime, long dailyPeopleVolume,
                        List<Purpose> purposes) {
    public Agreement {
        purposes = List.copyOf(purposes);
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
