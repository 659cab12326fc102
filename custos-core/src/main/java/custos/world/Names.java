package custos.world;

import java.util.List;
import java.util.SplittableRandom;

/** Invented but plausible words the reference world is written with. */
final class Names {
    private Names() {}

    static final List<String> FIRST = List.of(
            "Ada", "Alex", "Amara", "Anton", "Aria", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Daniel", "Dara",
            "Elena", "Emil", "Fatima", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jamal", "Jana", "Kai",
            "Keiko", "Lars", "Layla", "Leo", "Lina", "Luca", "Maya", "Mateo", "Mei", "Mira", "Nadia", "Noah",
            "Olga", "Omar", "Priya", "Quinn", "Rafael", "Rosa", "Sami", "Sara", "Tariq", "Tess", "Uma", "Victor",
            "Wen", "Yara", "Yusuf", "Zoe");
    static final List<String> LAST = List.of(
            "Abara", "Bauer", "Costa", "Dahl", "Eriksen", "Ferreira", "Garcia", "Haddad", "Ishikawa", "Jensen",
            "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Santos", "Tanaka",
            "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zielinski", "Morgan", "Novak", "Bergstrom", "Castillo",
            "Dubois", "Mensah", "Lindqvist", "Oyelaran", "Fontaine", "Hartmann");
    static final List<String> CITIES = List.of(
            "Lisbon", "Oslo", "Toronto", "Nairobi", "Osaka", "Austin", "Lyon", "Krakow", "Melbourne", "Bogota",
            "Seoul", "Dublin", "Accra", "Porto", "Leeds", "Denver", "Utrecht", "Tampere", "Cebu", "Valencia",
            "Gdansk", "Halifax", "Recife", "Izmir", "Graz", "Aarhus", "Pune", "Mombasa", "Quebec", "Tartu");
    static final List<String> DOMAINS = List.of("example.com", "example.net", "example.org", "mail.example");
    static final List<String> SUBJECTS = List.of(
            "Weekend plans", "Dinner on Friday?", "Photos from the trip", "Happy birthday!", "Moving day",
            "Book club", "Carpool", "That song you mentioned", "Rent split", "Game night", "Wedding RSVP",
            "Concert tickets", "Question about the job", "Recipe", "Hiking Sunday");
    static final List<String> PHRASES = List.of(
            "Are you free on Saturday?", "Sounds good to me.", "I'll bring the snacks.", "Can you send me the address?",
            "Running ten minutes late, sorry!", "Did you see the game last night?", "Let's split it three ways.",
            "Thanks again for yesterday.", "I found the photos, sending them now.", "Call me when you get this.",
            "Not sure yet, will let you know.", "Happy birthday! Hope it's a great one.", "Who else is coming?",
            "Can we move it to next week?", "I owe you one.", "Have you listened to the new album?");
    static final List<String> EVENTS = List.of(
            "Dentist", "Team standup", "Yoga", "Parents' evening", "Flight to Lisbon", "Dinner with Sam",
            "Quarterly review", "Football practice", "Doctor's appointment", "Book club", "Car service",
            "Interview", "Piano lesson", "Birthday party", "Therapy session");
    static final List<String> PLACES = List.of(
            "Main Street Clinic", "Office, room 4", "Community centre", "Airport terminal 2", "Riverside Cafe",
            "City library", "Home", "Central station", "Park pavilion");

    static <T> T pick(List<T> list, SplittableRandom rng) {
        return list.get(rng.nextInt(list.size()));
    }
}
