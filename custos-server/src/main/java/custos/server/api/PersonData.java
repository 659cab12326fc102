package custos.server.api;

import custos.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Reads and writes the platform's personal data for the partner API. It never decides anything: callers
 * come here only after the decision engine allowed the access and its audit entry is durable, and they cut
 * each record to the allowed fields. Records come out as maps keyed by the field names of
 * {@link custos.data.DataCategory#fields()}; pages are ordered by id.
 */
public final class PersonData {
    private final Jdbi jdbi;
    private final DataSource dataSource;

    public PersonData(Database database) {
        this.jdbi = database.jdbi();
        this.dataSource = database.dataSource();
    }

    /**
     * Basic and contact profile fields together; the caller cuts to what each scope allows. Plain JDBC, not a Jdbi
     * handle: this is the read behind most partner requests, and the handle's setup cost more than the query.
     */
    public Optional<Map<String, Object>> profile(long personId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select id, name, city, email, phone from people where id = ?")) {
            q.setLong(1, personId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(row(rs, "id", "name", "city", "email", "phone")) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new org.jdbi.v3.core.ConnectionException(e);
        }
    }

    /** Names of the given people, in the order given (missing ones left out). */
    public List<Map<String, Object>> profiles(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Map<String, Object>> byId = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select id, name, city from people where id = any(:ids)")
                .bindArray("ids", Long.class, ids)
                .map((rs, ctx) -> row(rs, "id", "name", "city"))
                .forEach(r -> byId.put(((Number) r.get("id")).longValue(), r)));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    public List<Map<String, Object>> threads(long personId, long afterId, int limit) {
        return page("""
                        select t.id, t.subject, t.started_at as "startedAt",
                               array(select tp2.person_id from thread_participants tp2
                                     where tp2.thread_id = t.id order by tp2.person_id) as participants
                        from message_threads t join thread_participants tp on tp.thread_id = t.id
                        where tp.person_id = :of and t.id > :after order by t.id limit :limit""",
                personId, afterId, limit, (rs, ctx) -> {
                    Map<String, Object> m = row(rs, "id", "subject", "startedAt");
                    m.put("participants", List.of((Long[]) rs.getArray("participants").getArray()));
                    return m;
                });
    }

    /** The participants of a thread; empty when the thread does not exist. */
    public List<Long> participants(long threadId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select person_id from thread_participants where thread_id = :t order by person_id")
                .bind("t", threadId).mapTo(Long.class).list());
    }

    public List<Map<String, Object>> messages(long threadId, long afterId, int limit) {
        return page("""
                        select id, thread_id as "threadId", sender_id as "senderId", body, sent_at as "sentAt"
                        from messages where thread_id = :of and id > :after order by id limit :limit""",
                threadId, afterId, limit, (rs, ctx) -> row(rs, "id", "threadId", "senderId", "body", "sentAt"));
    }

    /** The thread and sender of a message, or empty when no such message exists. */
    public Optional<long[]> messageOwner(long messageId) {
        return jdbi.withHandle(h -> h.createQuery("select thread_id, sender_id from messages where id = :m")
                .bind("m", messageId)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .findOne());
    }

    public Map<String, Object> sendMessage(long threadId, long senderId, String body, Instant at) {
        long id = jdbi.withHandle(h -> h.createUpdate(
                        "insert into messages (thread_id, sender_id, body, sent_at) values (:t, :s, :b, :at)")
                .bind("t", threadId).bind("s", senderId).bind("b", body).bind("at", Timestamp.from(at))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("threadId", threadId);
        m.put("senderId", senderId);
        m.put("body", body);
        m.put("sentAt", at);
        return m;
    }

    /** Starts a two-person thread for a message to someone the sender has no thread with yet. */
    public long directThread(long from, long to, String subject, Instant at) {
        return jdbi.inTransaction(h -> {
            Optional<Long> existing = h.createQuery("""
                            select tp.thread_id from thread_participants tp
                            join thread_participants other on other.thread_id = tp.thread_id and other.person_id = :to
                            where tp.person_id = :from
                              and (select count(*) from thread_participants c where c.thread_id = tp.thread_id) = 2
                            order by tp.thread_id limit 1""")
                    .bind("from", from).bind("to", to).mapTo(Long.class).findOne();
            if (existing.isPresent()) {
                return existing.get();
            }
            long thread = h.createUpdate("insert into message_threads (subject, started_at) values (:s, :at)")
                    .bind("s", subject).bind("at", Timestamp.from(at))
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            h.createUpdate("insert into thread_participants (thread_id, person_id) values (:t, :a), (:t, :b)")
                    .bind("t", thread).bind("a", from).bind("b", to).execute();
            return thread;
        });
    }

    public boolean deleteMessage(long messageId) {
        return jdbi.withHandle(h -> h.createUpdate("delete from messages where id = :m").bind("m", messageId).execute()) == 1;
    }

    public List<Map<String, Object>> contacts(long ownerId, long afterId, int limit) {
        return page("""
                        select id, name, email, phone from contacts
                        where owner_id = :of and id > :after order by id limit :limit""",
                ownerId, afterId, limit, (rs, ctx) -> row(rs, "id", "name", "email", "phone"));
    }

    public List<Map<String, Object>> events(long ownerId, long afterId, int limit) {
        return page("""
                        select id, title, location, starts_at as "startsAt", ends_at as "endsAt" from calendar_events
                        where owner_id = :of and id > :after order by id limit :limit""",
                ownerId, afterId, limit, (rs, ctx) -> row(rs, "id", "title", "location", "startsAt", "endsAt"));
    }

    /** One cursor page: {@code sql} selects the rows of {@code :of} with ids above {@code :after}, up to {@code :limit}. */
    private List<Map<String, Object>> page(String sql, long of, long afterId, int limit,
                                           RowMapper<Map<String, Object>> row) {
        return jdbi.withHandle(h -> h.createQuery(sql)
                .bind("of", of).bind("after", afterId).bind("limit", limit)
                .map(row).list());
    }

    /** The SQL labels its columns with the API's field names; times become Instants, which the API writes in ISO-8601. */
    private static Map<String, Object> row(ResultSet rs, String... labels) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String label : labels) {
            Object value = rs.getObject(label);
            m.put(label, value instanceof Timestamp t ? t.toInstant() : value);
        }
        return m;
    }

    /** Next-page cursor when the page came back full, else none. */
    static String next(List<Map<String, Object>> page, int limit) {
        if (page.size() < limit) {
            return null;
        }
        return new Cursor(((Number) page.get(page.size() - 1).get("id")).longValue()).encode();
    }
}
