package custos.server.oauth;

import custos.consent.Consent;
import custos.consent.ConsentGrant;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.consent.ConsentStore;
import custos.data.Scope;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns the answer on the consent screen into a consent record. A first consent for a partner and purpose is a new
 * record (state GIVEN) through the consent store; answering again while a record covering that purpose exists and was
 * never withdrawn renews it: valid-until moves on, the version grows, the history gains RENEWED, and the ticked
 * scopes replace the old ones of this purpose. A record may cover several purposes of the partner (older consents
 * do); scopes it holds for its other purposes stay, since scopes are not kept per purpose. Both writes reach
 * {@code policy_changes} through the consents table's trigger.
 */
final class ConsentRecorder {
    /** The version of the consent screen's wording, recorded with every consent (ISO/IEC TS 27560 notice). */
    static final String NOTICE_VERSION = "custos-consent-screen/1";

    private final Jdbi jdbi;
    private final ConsentStore consents;
    private final Runnable awaitEverywhere;

    /** {@code awaitEverywhere} makes a new or renewed consent effective on every gateway instance before it returns. */
    ConsentRecorder(Jdbi jdbi, ConsentStore consents, Runnable awaitEverywhere) {
        this.jdbi = jdbi;
        this.consents = consents;
        this.awaitEverywhere = awaitEverywhere;
    }

    /** The consent this person already gave for exactly this partner and purpose and never withdrew, if any. */
    Optional<Long> renewable(long personId, long partnerId, String purpose, Instant now) {
        // A consent given after "now" (a replay of the past) does not exist yet at that moment: nothing to renew.
        return jdbi.withHandle(h -> h.createQuery("select id from consents where person_id = :person and partner_id = :partner"
                        + " and :purpose = any(purposes) and withdrawn_at is null and given_at <= :now order by id desc limit 1")
                .bind("person", personId).bind("partner", partnerId).bind("purpose", purpose).bind("now", Timestamp.from(now))
                .mapTo(Long.class).findOne());
    }

    /** The consent {@link #renewable} finds, as a record: what the person chose then. */
    Optional<Consent> earlier(long personId, long partnerId, String purpose, Instant now) {
        return renewable(personId, partnerId, purpose, now).flatMap(consents::find);
    }

    /** The scopes the record holds for its purposes other than this one (as far as the agreement still lists them). */
    private static Set<Scope> keptForOtherPurposes(org.jdbi.v3.core.Handle h, long consentId, PurposeAuthority authority) {
        record Row(String[] purposes, String[] scopes) {}
        Row row = h.createQuery("select purposes, scopes from consents where id = :id").bind("id", consentId)
                .map((rs, ctx) -> new Row((String[]) rs.getArray(1).getArray(), (String[]) rs.getArray(2).getArray())).one();
        Set<Scope> others = new HashSet<>();
        for (String code : row.purposes()) {
            if (!code.equals(authority.purpose().code())) {
                authority.agreement().purpose(code).ifPresent(p -> others.addAll(p.scopes()));
            }
        }
        Set<Scope> kept = new HashSet<>();
        for (String s : row.scopes()) {
            Scope scope = Scope.parse(s);
            if (others.contains(scope)) {
                kept.add(scope);
            }
        }
        return kept;
    }

    Consent record(long personId, PurposeAuthority authority, Set<Scope> scopes, boolean friendsData, Instant now) {
        Instant until = now.plus(authority.consentLifetime());
        String purpose = authority.purpose().code();
        long partnerId = authority.partner().id();
        Optional<Long> renewed = jdbi.inTransaction(h -> {
            Optional<Long> id = h.createQuery("select id from consents where person_id = :person and partner_id = :partner"
                            + " and :purpose = any(purposes) and withdrawn_at is null and given_at <= :now"
                            + " order by id desc limit 1 for update")
                    .bind("person", personId).bind("partner", partnerId).bind("purpose", purpose).bind("now", Timestamp.from(now))
                    .mapTo(Long.class).findOne();
            id.ifPresent(consentId -> {
                Set<Scope> kept = keptForOtherPurposes(h, consentId, authority);
                kept.addAll(scopes);
                h.createUpdate("update consents set scopes = :scopes, friends_data = :friends, notice_version = :notice,"
                                + " valid_until = :until, version = version + 1 where id = :id")
                        .bind("id", consentId).bind("scopes", kept.stream().map(Scope::toString).sorted().toArray(String[]::new))
                        .bind("friends", friendsData).bind("notice", NOTICE_VERSION).bind("until", Timestamp.from(until)).execute();
                h.createUpdate("insert into consent_states (consent_id, seq, state, at) select :id, coalesce(max(seq), 0) + 1,"
                                + " :state, :at from consent_states where consent_id = :id")
                        .bind("id", consentId).bind("state", ConsentState.RENEWED.name()).bind("at", Timestamp.from(now)).execute();
            });
            return id;
        });
        Consent consent = renewed.isPresent()
                ? consents.find(renewed.get()).orElseThrow()
                : consents.record(new ConsentGrant(personId, partnerId, Set.of(purpose), scopes, friendsData, NOTICE_VERSION,
                        ConsentMethod.CONSENT_SCREEN, now, until));
        awaitEverywhere.run();
        return consent;
    }
}
