package custos.people;

import java.time.Instant;

/** An event in a person's calendar. */
public record CalendarEvent(long id, long ownerId, String title, String location, Instant startsAt, Instant endsAt) {}
