package custos.server.store;

import static custos.server.store.JdbiPartnerStore.instant;

import custos.people.CalendarEvent;
import custos.people.Contact;
import custos.people.Message;
import custos.people.MessageThread;
import custos.people.PeopleStore;
import custos.people.Person;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** People and their data in PostgreSQL, read only: the platform's side of the world. */
public final class JdbiPeopleStore implements PeopleStore {
    private static final String PERSON = "select id, name, city, email, phone, joined_on from people";

    private final Jdbi jdbi;

    public JdbiPeopleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<Person> person(long id) {
        return jdbi.withHandle(h -> h.createQuery(PERSON + " where id = :id").bind("id", id).map(JdbiPeopleStore::person).findOne());
    }

    @Override
    public List<Long> friendIds(long personId) {
        return jdbi.withHandle(h -> h.createQuery("select person_b from friendships where person_a = :p"
                        + " union all select person_a from friendships where person_b = :p order by 1")
                .bind("p", personId).mapTo(Long.class).list());
    }

    @Override
    public List<Person> friends(long personId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(PERSON + " where id in (select person_b from friendships where person_a = :p"
                        + " union all select person_a from friendships where person_b = :p) order by id limit :n")
                .bind("p", personId).bind("n", limit).map(JdbiPeopleStore::person).list());
    }

    @Override
    public List<MessageThread> threads(long personId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select t.id, t.subject, t.started_at,"
                        + " (select array_agg(p.person_id order by p.person_id) from thread_participants p where p.thread_id = t.id)"
                        + " from message_threads t where t.id in (select thread_id from thread_participants where person_id = :p)"
                        + " order by t.started_at desc, t.id limit :n")
                .bind("p", personId).bind("n", limit)
                .map((rs, ctx) -> new MessageThread(rs.getLong(1), rs.getString(2),
                        Arrays.asList((Long[]) rs.getArray(4).getArray()), instant(rs, 3)))
                .list());
    }

    @Override
    public List<Message> messages(long threadId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select id, thread_id, sender_id, body, sent_at from messages"
                        + " where thread_id = :t order by sent_at, id limit :n")
                .bind("t", threadId).bind("n", limit)
                .map((rs, ctx) -> new Message(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), instant(rs, 5)))
                .list());
    }

    @Override
    public List<Contact> contacts(long ownerId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select id, owner_id, name, email, phone from contacts where owner_id = :o"
                        + " order by id limit :n")
                .bind("o", ownerId).bind("n", limit)
                .map((rs, ctx) -> new Contact(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .list());
    }

    @Override
    public List<CalendarEvent> events(long ownerId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select id, owner_id, title, location, starts_at, ends_at from calendar_events"
                        + " where owner_id = :o order by starts_at, id limit :n")
                .bind("o", ownerId).bind("n", limit)
                .map((rs, ctx) -> new CalendarEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        instant(rs, 5), instant(rs, 6)))
                .list());
    }

    @Override
    public long count() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from people").mapTo(Long.class).one());
    }

    private static Person person(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Person(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getObject(6, LocalDate.class));
    }
}
