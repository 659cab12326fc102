package custos.compliance;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What dormancy is judged on besides the log: when each partner's clock was last reset, and the lapse itself. */
public interface PartnerActivity {

    /**
     * Per partner, the latest instant from which its 90 days are counted besides its use: its registration, and
     * after a lapse the first change of the partner made after it (its reinstatement).
     */
    Map<Long, Instant> clockStarts();

    /** Since when the sweeps watch for dormancy (the first sweep's instant); empty before the first sweep. */
    Optional<Instant> watchedSince();

    /** Records that the sweeps watch from {@code at} on, unless they already did. */
    void startWatching(Instant at);

    /** Lapses the partner (status DORMANT) at {@code at}, judged on {@code lastUsed}; effective everywhere on return. */
    void lapse(long partnerId, Instant at, Instant lastUsed);
}
