package custos.world;

import custos.people.CalendarEvent;
import custos.people.Contact;
import custos.people.Friendship;
import custos.people.Message;
import custos.people.MessageThread;
import custos.people.Person;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The people of the reference world and their data. Every record is a pure function of (seed, person id), so each
 * section is regenerated person by person and nothing proportional to the population is ever held in memory.
 */
final class Population {
    private static final int PEOPLE = 10;
    private static final int FRIENDS = 11;
    private static final int THREADS = 12;
    private static final int CONTACTS = 13;
    private static final int EVENTS = 14;
    private static final int MAX_FRIEND_PICKS = 3000;
    private static final LocalDate FIRST_JOIN = LocalDate.of(2008, 1, 1);
    private static final int JOIN_SPAN_DAYS = (int) (LocalDate.of(2025, 6, 30).toEpochDay() - FIRST_JOIN.toEpochDay());

    private static final LocalDate DEMO_JOINED = LocalDate.of(2009, 3, 14);

    private final long seed;
    private final long size;
    private long nextThreadId = 1;
    private long nextMessageId = 1;
    private long nextContactId = 1;
    private long nextEventId = 1;

    Population(long seed, long size) {
        this.seed = seed;
        this.size = size;
    }

    long size() {
        return size;
    }

    Person person(long id) {
        SplittableRandom rng = Seeds.rng(seed, PEOPLE, id);
        String first = id == ReferenceWorld.DEMO_PERSON ? "Alex" : Names.pick(Names.FIRST, rng);
        String last = id == ReferenceWorld.DEMO_PERSON ? "Morgan" : Names.pick(Names.LAST, rng);
        String city = Names.pick(Names.CITIES, rng);
        String email = (first + "." + last).toLowerCase(Locale.ROOT) + id + "@" + Names.pick(Names.DOMAINS, rng);
        String phone = String.format(Locale.ROOT, "+1 555 %03d %04d", rng.nextInt(1000), rng.nextInt(10000));
        return new Person(id, first + " " + last, city, email, phone, joinedOn(id));
    }

    LocalDate joinedOn(long id) {
        if (id == ReferenceWorld.DEMO_PERSON) {
            return DEMO_JOINED;
        }
        // The platform grew fast early on: join dates skew towards the first years.
        double u = Seeds.rng(seed, PEOPLE + 100, id).nextDouble();
        return FIRST_JOIN.plusDays((long) (JOIN_SPAN_DAYS * Math.pow(u, 1.6)));
    }

    Instant joinedAt(long id) {
        return joinedOn(id).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The friends this person added, as ascending ids. Only forward offsets up to (size-1)/2 are drawn, so a pair is
     * never picked from both sides. The pick count is Pareto-distributed (alpha 1.8): most people have a few dozen
     * friends, a few have thousands.
     */
    long[] friendPicks(long id) {
        long range = (size - 1) / 2;
        if (range < 1) {
            return new long[0];
        }
        SplittableRandom rng = Seeds.rng(seed, FRIENDS, id);
        if (rng.nextDouble() < 0.03) {
            return new long[0];
        }
        double pareto = 4.0 * Math.pow(1.0 - rng.nextDouble(), -1.0 / 1.8);
        int count = (int) Math.min(Math.min(MAX_FRIEND_PICKS, pareto), Math.max(1, range / 2));
        long[] picks = new long[count];
        int n = 0;
        long local = Math.min(range, 400);
        while (n < count) {
            // Most friends are "nearby" (same community), some are anywhere.
            long offset = 1 + (rng.nextDouble() < 0.7 ? rng.nextLong(local) : rng.nextLong(range));
            long other = (id - 1 + offset) % size + 1;
            boolean seen = false;
            for (int i = 0; i < n; i++) {
                if (picks[i] == other) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                picks[n++] = other;
            }
        }
        Arrays.sort(picks);
        return picks;
    }

    void friendships(long id, WorldSink sink) {
        SplittableRandom rng = Seeds.rng(seed, FRIENDS + 100, id);
        Instant mine = joinedAt(id);
        for (long other : friendPicks(id)) {
            Instant theirs = joinedAt(other);
            Instant from = mine.isAfter(theirs) ? mine : theirs;
            long span = Math.max(1, Duration.between(from, ReferenceWorld.AS_OF).toMinutes());
            sink.friendship(new Friendship(id, other, from.plus(Duration.ofMinutes(rng.nextLong(Math.min(span, 730L * 1440))))));
        }
    }

    /** The threads this person started; ids follow on from the previous person's, so call in person order. */
    List<MessageThread> threads(long id) {
        SplittableRandom rng = Seeds.rng(seed, THREADS, id);
        long[] picks = friendPicks(id);
        List<MessageThread> threads = new ArrayList<>();
        while (rng.nextDouble() < 0.55 && threads.size() < 8) {
            List<Long> participants = new ArrayList<>();
            participants.add(id);
            int others = 1 + (rng.nextDouble() < 0.25 ? rng.nextInt(3) : 0);
            for (int i = 0; i < others; i++) {
                long other = picks.length > 0 ? picks[rng.nextInt(picks.length)] : 1 + rng.nextLong(size);
                if (!participants.contains(other)) {
                    participants.add(other);
                }
            }
            if (participants.size() < 2) {
                continue;
            }
            Instant from = joinedAt(id);
            long span = Math.max(1, Duration.between(from, ReferenceWorld.AS_OF).toMinutes());
            Instant started = from.plus(Duration.ofMinutes(span - (long) (span * Math.pow(rng.nextDouble(), 2.0)) - 1));
            threads.add(new MessageThread(nextThreadId++, Names.pick(Names.SUBJECTS, rng), participants, started));
        }
        return threads;
    }

    void messages(MessageThread thread, WorldSink sink) {
        SplittableRandom rng = Seeds.rng(seed, THREADS + 100, thread.id());
        int count = 1 + (int) Math.min(40, -Math.log(1 - rng.nextDouble()) * 3.5);
        Instant at = thread.startedAt();
        List<Long> who = thread.participants();
        for (int i = 0; i < count; i++) {
            long sender = i == 0 ? who.get(0) : who.get(rng.nextInt(who.size()));
            sink.message(new Message(nextMessageId++, thread.id(), sender, Names.pick(Names.PHRASES, rng), at));
            at = at.plus(Duration.ofMinutes(1 + rng.nextInt(rng.nextDouble() < 0.8 ? 120 : 5000)));
        }
    }

    void contacts(long id, WorldSink sink) {
        SplittableRandom rng = Seeds.rng(seed, CONTACTS, id);
        long[] picks = friendPicks(id);
        int count = (int) Math.min(60, -Math.log(1 - rng.nextDouble()) * 5);
        for (int i = 0; i < count; i++) {
            String name;
            String email;
            String phone;
            if (picks.length > 0 && rng.nextDouble() < 0.6) {
                // A friend from the platform, copied into the address book.
                Person friend = person(picks[rng.nextInt(picks.length)]);
                name = friend.name();
                email = rng.nextDouble() < 0.8 ? friend.email() : null;
                phone = rng.nextDouble() < 0.7 ? friend.phone() : null;
            } else {
                String first = Names.pick(Names.FIRST, rng);
                String last = Names.pick(Names.LAST, rng);
                name = first + " " + last;
                email = rng.nextDouble() < 0.7
                        ? (first + "." + last).toLowerCase(Locale.ROOT) + "@" + Names.pick(Names.DOMAINS, rng) : null;
                phone = rng.nextDouble() < 0.8
                        ? String.format(Locale.ROOT, "+1 555 %03d %04d", rng.nextInt(1000), rng.nextInt(10000)) : null;
            }
            sink.contact(new Contact(nextContactId++, id, name, email, phone));
        }
    }

    void events(long id, WorldSink sink) {
        SplittableRandom rng = Seeds.rng(seed, EVENTS, id);
        int count = rng.nextInt(9);
        Instant from = joinedAt(id);
        long span = Math.max(1, Duration.between(from, ReferenceWorld.AS_OF.plus(Duration.ofDays(90))).toMinutes());
        for (int i = 0; i < count; i++) {
            Instant start = from.plus(Duration.ofMinutes(span - (long) (span * Math.pow(rng.nextDouble(), 1.5)) - 1));
            start = start.minusSeconds(start.getEpochSecond() % 900);
            Instant end = start.plus(Duration.ofMinutes(30L * (1 + rng.nextInt(6))));
            String place = rng.nextDouble() < 0.7 ? Names.pick(Names.PLACES, rng) : null;
            sink.event(new CalendarEvent(nextEventId++, id, Names.pick(Names.EVENTS, rng), place, start, end));
        }
    }
}
