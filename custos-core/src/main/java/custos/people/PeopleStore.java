package custos.people;

import java.util.List;
import java.util.Optional;

/** Reads the platform's people and their data: profile, friends, threads and messages, contacts, calendar. */
public interface PeopleStore {

    Optional<Person> person(long id);

    /** Ids of the person's friends, ascending. */
    List<Long> friendIds(long personId);

    List<Person> friends(long personId, int limit);

    List<MessageThread> threads(long personId, int limit);

    List<Message> messages(long threadId, int limit);

    List<Contact> contacts(long ownerId, int limit);

    List<CalendarEvent> events(long ownerId, int limit);

    long count();
}
