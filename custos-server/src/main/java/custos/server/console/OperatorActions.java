package custos.server.console;

import custos.audit.OperatorAction;
import custos.partner.ClientSecrets;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.data.Scope;
import custos.server.policy.ChangeBarrier;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every operator action, the one place the console, the admin API and the commands change partners, clients,
 * agreements and purposes. Each one checks its input and refuses ({@link ActionRefused}) before anything changes;
 * makes the change and appends its log entry (actor, action, before, after: {@link OperatorLog}) in one transaction;
 * then waits at the change barrier, so when it returns every gateway instance decides on it.
 */
public final class OperatorActions {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,39}");
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{1,59}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What an action did: its log entry's index and the action as logged, plus what only the caller sees (a new secret). */
    public record Done(long logIndex, OperatorAction action, Map<String, Object> result) {
        public Done {
            result = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(result));
        }
    }

    private final Jdbi jdbi;
    private final ChangeBarrier barrier;
    private final Clock clock;
    private final Runnable afterCommit;

    /** {@code afterCommit} runs once an action's entry is durable (a server nudges its log integrator). */
    public OperatorActions(Jdbi jdbi, ChangeBarrier barrier, Clock clock, Runnable afterCommit) {
        this.jdbi = jdbi;
        this.barrier = barrier;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    public Done registerPartner(Staff actor, String slug, String name, String kind) {
        requireOperator(actor);
        check(slug != null && SLUG.matcher(slug).matches(), "a partner slug is 2 to 40 lower-case letters, digits or '-', got: " + slug);
        check(name != null && !name.isBlank() && name.length() <= 100 && name.chars().noneMatch(Character::isISOControl),
                "a partner name has 1 to 100 characters");
        PartnerKind parsedKind = kind(kind);
        return act(actor, h -> {
            if (h.createQuery("select count(*) from partners where slug = :s").bind("s", slug).mapTo(Integer.class).one() > 0) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "partner " + slug + " is already registered");
            }
            long id = h.createUpdate("insert into partners (slug, name, kind, status, registered_at) values (:s, :n, :k, 'ACTIVE', :at)")
                    .bind("s", slug).bind("n", name.strip()).bind("k", parsedKind.name()).bind("at", Timestamp.from(clock.instant()))
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            return new Change("partner.register", id, "partner:" + id, Map.of(), partner(h, id), Map.of("partnerId", id));
        });
    }

    public Done suspend(Staff actor, String slug) {
        return setStatus(actor, slug, PartnerStatus.SUSPENDED, "partner.suspend");
    }

    public Done reinstate(Staff actor, String slug) {
        return setStatus(actor, slug, PartnerStatus.ACTIVE, "partner.reinstate");
    }

    private Done setStatus(Staff actor, String slug, PartnerStatus to, String action) {
        requireOperator(actor);
        return act(actor, h -> {
            long id = partnerId(h, slug);
            Map<String, String> before = partner(h, id);
            String from = before.get("status");
            if (to == PartnerStatus.SUSPENDED && !from.equals("ACTIVE")) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "partner " + slug + " is " + from.toLowerCase(Locale.ROOT) + ", not active");
            }
            if (to == PartnerStatus.ACTIVE && !from.equals("SUSPENDED")) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "partner " + slug + " is " + from.toLowerCase(Locale.ROOT) + ", not suspended");
            }
            h.createUpdate("update partners set status = :s where id = :id").bind("s", to.name()).bind("id", id).execute();
            return new Change(action, id, "partner:" + id, before, partner(h, id), Map.of());
        });
    }

    /** A new OAuth client for the partner; the secret is in the result, shown once and stored only as a hash. */
    public Done addClient(Staff actor, String slug, List<String> redirectUris) {
        requireOperator(actor);
        check(redirectUris != null && !redirectUris.isEmpty() && redirectUris.size() <= 10, "a client needs 1 to 10 redirect URIs");
        for (String uri : redirectUris) {
            check(absoluteHttp(uri), "a redirect URI is an absolute http or https URL without fragment, got: " + uri);
        }
        return act(actor, h -> {
            long partner = partnerId(h, slug);
            String clientId = slug + "-" + HexFormat.of().formatHex(random(4));
            String secret = secret();
            h.createUpdate("insert into partner_clients (client_id, partner_id, secret_hash, redirect_uris) values (:c, :p, :h, :u)")
                    .bind("c", clientId).bind("p", partner).bind("h", ClientSecrets.hash(secret))
                    .bind("u", redirectUris.toArray(String[]::new)).execute();
            Map<String, String> after = client(h, clientId);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clientId", clientId);
            result.put("clientSecret", secret);
            return new Change("client.add", partner, "client:" + clientId, Map.of(), after, result);
        });
    }

    /** A new secret for the client: the old one stops working at once; the new one is in the result, shown once. */
    public Done rotateSecret(Staff actor, String clientId) {
        requireOperator(actor);
        return act(actor, h -> {
            Map<String, String> before = client(h, clientId);
            if (before.isEmpty()) {
                throw new ActionRefused(ActionRefused.Why.NOT_FOUND, "no client " + clientId);
            }
            long partner = h.createQuery("select partner_id from partner_clients where client_id = :c").bind("c", clientId)
                    .mapTo(Long.class).one();
            String secret = secret();
            h.createUpdate("update partner_clients set secret_hash = :h where client_id = :c")
                    .bind("h", ClientSecrets.hash(secret)).bind("c", clientId).execute();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clientId", clientId);
            result.put("clientSecret", secret);
            return new Change("client.rotate-secret", partner, "client:" + clientId, before, client(h, clientId), result);
        });
    }

    /** A new agreement from {@code validFrom} (null: now) until {@code validUntil} (null: open-ended). */
    public Done addAgreement(Staff actor, String slug, Instant validFrom, Instant validUntil, Duration consentLifetime,
                             long dailyPeopleVolume) {
        requireOperator(actor);
        Instant from = validFrom == null ? clock.instant() : validFrom;
        check(validUntil == null || validUntil.isAfter(from), "an agreement must end after it starts");
        check(consentLifetime != null && !consentLifetime.isNegative() && !consentLifetime.isZero(),
                "a consent lifetime is a positive number of days");
        check(dailyPeopleVolume >= 0, "the daily people volume is zero or more");
        return act(actor, h -> {
            long partner = partnerId(h, slug);
            long id = h.createUpdate("""
                            insert into agreements (partner_id, valid_from, valid_until, next_recertification,
                                                    consent_lifetime_seconds, daily_people_volume)
                            values (:p, :from, :until, :recert, :life, :volume)""")
                    .bind("p", partner).bind("from", Timestamp.from(from))
                    .bind("until", validUntil == null ? null : Timestamp.from(validUntil))
                    .bind("recert", from.atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(365))
                    .bind("life", consentLifetime.toSeconds()).bind("volume", dailyPeopleVolume)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            return new Change("agreement.add", partner, "agreement:" + id, Map.of(), agreement(h, id), Map.of("agreementId", id));
        });
    }

    /** Ends the agreement at {@code at} (null: now); every purpose it serves stops then. */
    public Done endAgreement(Staff actor, long agreementId, Instant at) {
        requireOperator(actor);
        Instant when = at == null ? clock.instant() : at;
        return act(actor, h -> {
            Map<String, String> before = agreement(h, agreementId);
            if (before.isEmpty()) {
                throw new ActionRefused(ActionRefused.Why.NOT_FOUND, "no agreement " + agreementId);
            }
            if (!before.get("validUntil").isEmpty() && !Instant.parse(before.get("validUntil")).isAfter(when)) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "agreement " + agreementId + " already ended at " + before.get("validUntil"));
            }
            if (Instant.parse(before.get("validFrom")).isAfter(when)) {
                throw new ActionRefused(ActionRefused.Why.INVALID, "agreement " + agreementId + " starts at " + before.get("validFrom")
                        + ", after " + when);
            }
            h.createUpdate("update agreements set valid_until = :at, version = version + 1 where id = :id")
                    .bind("at", Timestamp.from(when)).bind("id", agreementId).execute();
            return new Change("agreement.end", Long.parseLong(before.get("partnerId")), "agreement:" + agreementId, before,
                    agreement(h, agreementId), Map.of());
        });
    }

    /** A new purpose of the agreement, with the only scopes it may ever ask for. */
    public Done addPurpose(Staff actor, long agreementId, String code, String description, List<String> scopes,
                           boolean friendsData) {
        requireOperator(actor);
        check(code != null && CODE.matcher(code).matches(), "a purpose code is 2 to 60 lower-case letters, digits or '-', got: " + code);
        check(description != null && !description.isBlank() && description.length() <= 300,
                "a purpose needs a description of 1 to 300 characters");
        check(scopes != null && !scopes.isEmpty(), "a purpose needs at least one scope");
        TreeSet<String> parsed = new TreeSet<>();
        for (String s : scopes) {
            try {
                parsed.add(Scope.parse(s.strip()).toString());
            } catch (RuntimeException e) {
                throw new ActionRefused(ActionRefused.Why.INVALID, "unknown scope " + s + " (category:operation, e.g. messages:read)");
            }
        }
        return act(actor, h -> {
            Map<String, String> agreement = agreement(h, agreementId);
            if (agreement.isEmpty()) {
                throw new ActionRefused(ActionRefused.Why.NOT_FOUND, "no agreement " + agreementId);
            }
            if (h.createQuery("select count(*) from purposes where agreement_id = :a and code = :c").bind("a", agreementId)
                    .bind("c", code).mapTo(Integer.class).one() > 0) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "agreement " + agreementId + " already has purpose " + code);
            }
            long id = h.createUpdate("insert into purposes (agreement_id, code, description, friends_data) values (:a, :c, :d, :f)")
                    .bind("a", agreementId).bind("c", code).bind("d", description.strip()).bind("f", friendsData)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            for (String s : parsed) {
                h.createUpdate("insert into purpose_scopes (purpose_id, scope) values (:p, :s)").bind("p", id).bind("s", s).execute();
            }
            return new Change("purpose.add", Long.parseLong(agreement.get("partnerId")), "purpose:" + id, Map.of(),
                    purpose(h, id), Map.of("purposeId", id));
        });
    }

    /** Retires the purpose at {@code at} (null: now): the feature was shut down, every request for it is denied. */
    public Done retirePurpose(Staff actor, long purposeId, Instant at) {
        requireOperator(actor);
        Instant when = at == null ? clock.instant() : at;
        return act(actor, h -> {
            Map<String, String> before = purpose(h, purposeId);
            if (before.isEmpty()) {
                throw new ActionRefused(ActionRefused.Why.NOT_FOUND, "no purpose " + purposeId);
            }
            if (!before.get("retiredAt").isEmpty()) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "purpose " + before.get("code") + " (" + purposeId
                        + ") was already retired at " + before.get("retiredAt"));
            }
            h.createUpdate("update purposes set retired_at = :at where id = :id").bind("at", Timestamp.from(when))
                    .bind("id", purposeId).execute();
            return new Change("purpose.retire", Long.parseLong(before.get("partnerId")), "purpose:" + purposeId, before,
                    purpose(h, purposeId), Map.of());
        });
    }

    /**
     * The purpose a command names by partner and code: the one not yet retired (or the only one). Several matches
     * are refused with their ids, so the operator picks one.
     */
    public long purposeId(String slug, String code) {
        return jdbi.withHandle(h -> {
            long partner = partnerId(h, slug);
            List<long[]> found = h.createQuery("""
                            select u.id, case when u.retired_at is null then 1 else 0 end from purposes u
                            join agreements a on a.id = u.agreement_id where a.partner_id = :p and u.code = :c order by u.id""")
                    .bind("p", partner).bind("c", code).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
            List<long[]> live = found.stream().filter(r -> r[1] == 1).toList();
            List<long[]> pick = live.isEmpty() ? found : live;
            if (pick.isEmpty()) {
                throw new ActionRefused(ActionRefused.Why.NOT_FOUND, "partner " + slug + " has no purpose " + code);
            }
            if (pick.size() > 1) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "partner " + slug + " has " + pick.size() + " purposes " + code
                        + " (ids " + String.join(", ", pick.stream().map(r -> Long.toString(r[0])).toList()) + "); name one with --id");
            }
            return pick.get(0)[0];
        });
    }

    /**
     * A change made in a transaction: the action's code (e.g. {@code finding.resolve}), the partner and target it is
     * about, the target's fields before and after, and what only the caller sees.
     */
    public record Change(String action, long partnerId, String target, Map<String, String> before, Map<String, String> after,
                         Map<String, Object> result) {}

    /**
     * Any operator action, for capabilities beyond these (resolving a finding, recertifying an agreement): an operator
     * only; {@code change} makes the change in the transaction it is given and says what it did; its log entry is
     * appended in the same transaction, and the call returns once every instance has applied it. Refuse with
     * {@link ActionRefused} from {@code change} and nothing is kept.
     */
    public Done perform(Staff actor, Function<Handle, Change> change) {
        requireOperator(actor);
        return act(actor, change);
    }

    /** An action logged as {@code actor} whatever the role (a staff member's own password); callers check who may. */
    Done act(Staff actor, Function<Handle, Change> change) {
        Done done = jdbi.inTransaction(h -> {
            Change c = change.apply(h);
            OperatorAction action = OperatorAction.of(clock.instant(), actor.login(), c.action(), c.partnerId(), c.target(),
                    c.before(), c.after());
            return new Done(OperatorLog.append(h, action), action, c.result());
        });
        afterCommit.run();
        barrier.awaitEverywhere();
        return done;
    }

    private static void requireOperator(Staff actor) {
        if (actor == null || !actor.mayAct()) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "only an operator may change partners");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ActionRefused(ActionRefused.Why.INVALID, message);
        }
    }

    private static PartnerKind kind(String kind) {
        for (PartnerKind k : PartnerKind.values()) {
            if (k.name().equalsIgnoreCase(kind == null ? "" : kind.strip().replace('-', '_'))) {
                return k;
            }
        }
        throw new ActionRefused(ActionRefused.Why.INVALID, "unknown partner kind " + kind + "; one of "
                + String.join(", ", java.util.Arrays.stream(PartnerKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static boolean absoluteHttp(String uri) {
        try {
            URI u = new URI(uri);
            return u.isAbsolute() && ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getFragment() == null;
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    private static long partnerId(Handle h, String slug) {
        return h.createQuery("select id from partners where slug = :s").bind("s", slug == null ? "" : slug).mapTo(Long.class)
                .findOne().orElseThrow(() -> new ActionRefused(ActionRefused.Why.NOT_FOUND, "no partner " + slug));
    }

    private static Map<String, String> partner(Handle h, long id) {
        return h.createQuery("select slug, name, kind, status from partners where id = :id").bind("id", id)
                .map((rs, ctx) -> Map.of("slug", rs.getString(1), "name", rs.getString(2), "kind", rs.getString(3),
                        "status", rs.getString(4))).one();
    }

    private static Map<String, String> client(Handle h, String clientId) {
        return h.createQuery("select secret_hash, redirect_uris from partner_clients where client_id = :c").bind("c", clientId == null ? "" : clientId)
                .map((rs, ctx) -> Map.of("clientId", clientId, "redirectUris", String.join(" ", (String[]) rs.getArray(2).getArray()),
                        "secretFingerprint", fingerprint(rs.getString(1))))
                .findOne().orElse(Map.of());
    }

    private static Map<String, String> agreement(Handle h, long id) {
        return h.createQuery("""
                        select partner_id, version, valid_from, valid_until, consent_lifetime_seconds, daily_people_volume
                        from agreements where id = :id""").bind("id", id)
                .map((rs, ctx) -> Map.of("partnerId", Long.toString(rs.getLong(1)), "version", Integer.toString(rs.getInt(2)),
                        "validFrom", rs.getTimestamp(3).toInstant().toString(),
                        "validUntil", rs.getTimestamp(4) == null ? "" : rs.getTimestamp(4).toInstant().toString(),
                        "consentLifetimeSeconds", Long.toString(rs.getLong(5)), "dailyPeopleVolume", Long.toString(rs.getLong(6))))
                .findOne().orElse(Map.of());
    }

    private static Map<String, String> purpose(Handle h, long id) {
        return h.createQuery("""
                        select a.partner_id, u.agreement_id, u.code, u.friends_data, u.retired_at,
                               coalesce((select string_agg(s.scope, ' ' order by s.scope) from purpose_scopes s where s.purpose_id = u.id), '')
                        from purposes u join agreements a on a.id = u.agreement_id where u.id = :id""").bind("id", id)
                .map((rs, ctx) -> Map.of("partnerId", Long.toString(rs.getLong(1)), "agreementId", Long.toString(rs.getLong(2)),
                        "code", rs.getString(3), "friendsData", Boolean.toString(rs.getBoolean(4)),
                        "retiredAt", rs.getTimestamp(5) == null ? "" : rs.getTimestamp(5).toInstant().toString(),
                        "scopes", rs.getString(6)))
                .findOne().orElse(Map.of());
    }

    /** Says that a secret changed without putting its hash in the log: the first 8 bytes of SHA-256 of the hash. */
    private static String fingerprint(String secretHash) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secretHash.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String secret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
    }

}
