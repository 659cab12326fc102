package custos.server.oauth;

import io.helidon.http.SetCookie;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Sessions of people who signed in live in PostgreSQL (so any gateway instance can serve the next step), keyed by the
 * SHA-256 hash of a random 256-bit id sent as an HttpOnly, SameSite=Lax cookie on Path=/ (the consent screen and the
 * account pages share it), Secure behind https. Before sign-in a session is only a CSRF token, carried in the cookie
 * itself ({@link AnonymousSessions}): requests from nobody write nothing. Signing in replaces the session with a new
 * id, so an id planted before it is worth nothing after it.
 */
public final class Sessions {
    public static final String COOKIE = "custos_session";

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration ttl;
    private final boolean secureCookies;
    private final AnonymousSessions anonymous;

    Sessions(Jdbi jdbi, Clock clock, Duration ttl, boolean secureCookies) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.ttl = ttl;
        this.secureCookies = secureCookies;
        this.anonymous = AnonymousSessions.loadOrCreate(jdbi, clock);
    }

    public Optional<Session> current(ServerRequest req) {
        Optional<String> id = req.headers().cookies().first(COOKIE).asOptional();
        if (id.isEmpty() || id.get().length() > 200) {
            return Optional.empty();
        }
        if (AnonymousSessions.isAnonymous(id.get())) {
            return anonymous.read(id.get());
        }
        if (id.get().length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("select id_hash, person_id, csrf_token, expires_at, staff_id from oauth_sessions"
                        + " where id_hash = :hash and expires_at > :now")
                .bind("hash", OpaqueToken.hash(id.get())).bind("now", Timestamp.from(now))
                .map((rs, ctx) -> new Session(rs.getBytes(1), (Long) rs.getObject(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), (Long) rs.getObject(5)))
                .findOne());
    }

    /** The current session, or a new anonymous one (its cookie set on the response). */
    public Session currentOrNew(ServerRequest req, ServerResponse res) {
        return current(req).orElseGet(() -> open(res, null));
    }

    /** Starts a session for {@code personId} (null: anonymous), replacing {@code previous} if given. */
    public Session open(ServerResponse res, Long personId, Session previous) {
        if (previous != null) {
            jdbi.useHandle(h -> h.createUpdate("delete from oauth_sessions where id_hash = :hash")
                    .bind("hash", previous.idHash()).execute());
        }
        return open(res, personId, (Long) null);
    }

    /** Starts a session for the console's staff member {@code staffId}, replacing {@code previous} (its anonymous one). */
    public Session openStaff(ServerResponse res, long staffId, Session previous) {
        if (previous != null) {
            jdbi.useHandle(h -> h.createUpdate("delete from oauth_sessions where id_hash = :hash")
                    .bind("hash", previous.idHash()).execute());
        }
        return open(res, null, staffId);
    }

    private Session open(ServerResponse res, Long personId) {
        return open(res, personId, (Long) null);
    }

    private Session open(ServerResponse res, Long personId, Long staffId) {
        if (personId == null && staffId == null) {
            AnonymousSessions.Issued issued = anonymous.issue(ttl);
            res.headers().addCookie(cookie(issued.cookie(), ttl));
            return issued.session();
        }
        OpaqueToken id = OpaqueToken.random();
        Instant now = clock.instant();
        Session session = new Session(id.hash(), personId, OpaqueToken.random().value(), now.plus(ttl), staffId);
        jdbi.useHandle(h -> {
            h.createUpdate("delete from oauth_sessions where expires_at <= :now").bind("now", Timestamp.from(now)).execute();
            h.createUpdate("insert into oauth_sessions (id_hash, person_id, staff_id, csrf_token, created_at, expires_at)"
                            + " values (:hash, :person, :staff, :csrf, :now, :expires)")
                    .bind("hash", session.idHash()).bind("person", personId).bind("staff", staffId)
                    .bind("csrf", session.csrfToken())
                    .bind("now", Timestamp.from(now)).bind("expires", Timestamp.from(session.expiresAt())).execute();
        });
        res.headers().addCookie(cookie(id.value(), ttl));
        return session;
    }

    /** Ends {@code session} (signing out) and tells the browser to drop its cookie. */
    public void close(ServerResponse res, Session session) {
        jdbi.useHandle(h -> h.createUpdate("delete from oauth_sessions where id_hash = :hash")
                .bind("hash", session.idHash()).execute());
        res.headers().addCookie(cookie("", Duration.ZERO));
    }

    private SetCookie cookie(String value, Duration maxAge) {
        return SetCookie.builder(COOKIE, value)
                .path("/")
                .httpOnly(true)
                .secure(secureCookies)
                .sameSite(SetCookie.SameSite.LAX)
                .maxAge(maxAge)
                .build();
    }
}
