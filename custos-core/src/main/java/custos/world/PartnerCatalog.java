package custos.world;

import custos.partner.Agreement;
import custos.partner.ClientSecrets;
import custos.partner.Partner;
import custos.partner.PartnerClient;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.data.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** The partners of the reference world: the six archetypes first, then 150 invented partners of every kind. */
final class PartnerCatalog {
    static final int GENERATED_PARTNERS = 150;

    private static final int SECTION = 1;
    private static final Instant AS_OF = ReferenceWorld.AS_OF;

    private final long seed;
    private final List<PartnerEntry> entries = new ArrayList<>();
    private final List<PartnerClient> clients = new ArrayList<>();
    private long nextAgreementId = 1;
    private long nextPurposeId = 1;

    private record PurposeTemplate(String code, String description, List<String> scopes, boolean friendsData) {}

    private PartnerCatalog(long seed) {
        this.seed = seed;
    }

    static PartnerCatalog build(long seed) {
        PartnerCatalog catalog = new PartnerCatalog(seed);
        catalog.addArchetypes();
        catalog.addGenerated();
        return catalog;
    }

    List<PartnerEntry> entries() {
        return entries;
    }

    List<PartnerClient> clients() {
        return clients;
    }

    /** The demo secret of a partner's client in the world of {@code seed}: derived, so `seed` can print it. */
    static String clientSecret(long seed, String slug) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("custos reference world client secret|" + seed + "|" + slug).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private void addArchetypes() {
        archetype(Archetype.TUNEWAVE, "2010-06-01", null, 730, 2_000_000,
                new PurposeTemplate("share-in-messages", "Send, read and tidy up songs shared in private messages",
                        List.of("messages:read", "messages:write", "messages:delete"), false),
                new PurposeTemplate("listening-profile", "Show what friends are listening to",
                        List.of("profile:read", "friends:read"), false));
        archetype(Archetype.NORTHMERE, "2012-09-01", null, 365, 200_000,
                new PurposeTemplate("pay-friends-in-messages", "Send money to friends from a private conversation",
                        List.of("messages:read", "messages:write", "messages:delete", "friends:read", "profile:read"), false));
        archetype(Archetype.REELHOUSE, "2013-03-01", "2015-07-01", 730, 1_000_000,
                new PurposeTemplate("recommend-to-friends", "Recommend shows to friends through private messages",
                        List.of("messages:read", "messages:write", "friends:read"), true),
                new PurposeTemplate("sign-in", "Sign in with the platform account", List.of("profile:read"), false));
        archetype(Archetype.ORBITEL, "2010-02-01", null, 730, 5_000_000,
                new PurposeTemplate("device-integration", "Show the platform's contacts, calendars and friends on the phone",
                        List.of("contacts:read", "calendar:read", "profile:read", "profile.contact:read", "friends:read"), true));
        archetype(Archetype.CARTWELL, "2011-05-01", null, 365, 500_000,
                new PurposeTemplate("friend-contact-sync", "Fill the address book with friends' names and contact details",
                        List.of("profile:read", "profile.contact:read", "friends:read"), true));
        archetype(Archetype.SEEKFAR, "2010-11-01", null, 730, 10_000_000,
                new PurposeTemplate("social-search", "Show people's and their friends' names in search results",
                        List.of("profile:read", "friends:read"), true));
    }

    private void archetype(Archetype archetype, String signed, String firstPurposeRetired, int consentDays, long volume,
                           PurposeTemplate... purposes) {
        Instant from = day(signed);
        Partner partner = new Partner(archetype.partnerId(), archetype.slug(), archetype.displayName(), archetype.kind(),
                PartnerStatus.ACTIVE, from);
        long agreementId = nextAgreementId++;
        List<Purpose> built = new ArrayList<>();
        for (int i = 0; i < purposes.length; i++) {
            Instant retired = i == 0 && firstPurposeRetired != null ? day(firstPurposeRetired) : null;
            built.add(purpose(agreementId, purposes[i], retired));
        }
        // Never recertified since signing: exactly the neglect the articles describe.
        LocalDate recert = LocalDate.parse(signed).plusYears(1);
        Agreement agreement = new Agreement(agreementId, partner.id(), 1, from, null, recert,
                Duration.ofDays(consentDays), volume, built);
        add(partner, List.of(agreement));
    }

    private void addGenerated() {
        PartnerKind[] kinds = PartnerKind.values();
        // APP, DEVICE_MAKER, BANK, RETAILER, SEARCH_ENGINE, MEDIA, MUSIC, VIDEO, AUTOMAKER, GAME
        int[] plan = {40, 12, 12, 14, 6, 18, 8, 8, 12, 20};
        TreeSet<String> slugs = new TreeSet<>();
        for (Archetype a : Archetype.values()) {
            slugs.add(a.slug());
        }
        long id = Archetype.values().length + 1L;
        for (int k = 0; k < kinds.length; k++) {
            for (int n = 0; n < plan[k]; n++) {
                SplittableRandom rng = Seeds.rng(seed, SECTION, id);
                String name;
                String slug;
                do {
                    name = name(kinds[k], rng);
                    slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
                } while (!slugs.add(slug));
                generated(id++, slug, name, kinds[k], rng);
            }
        }
    }

    private void generated(long id, String slug, String name, PartnerKind kind, SplittableRandom rng) {
        // Registration skews early: most integrations date from the open-platform years.
        int year = 2010 + (int) Math.floor(12 * Math.pow(rng.nextDouble(), 1.8));
        Instant registered = day(year + "-01-01").plus(Duration.ofDays(rng.nextInt(365)));
        List<PurposeTemplate> templates = templates(kind);
        List<Agreement> agreements = new ArrayList<>();
        PartnerStatus status = PartnerStatus.ACTIVE;
        long volume = 10_000L * (1 + rng.nextInt(200));
        int consentDays = rng.nextDouble() < 0.5 ? 365 : 730;

        Instant from = registered;
        boolean firstExpires = rng.nextDouble() < 0.30;
        Instant until = firstExpires ? from.plus(Duration.ofDays(365L * (2 + rng.nextInt(4)))) : null;
        if (until != null && !until.isBefore(AS_OF)) {
            until = null;
        }
        agreements.add(agreement(id, from, until, consentDays, volume, templates, rng, until == null));
        if (until != null) {
            if (rng.nextDouble() < 0.6) {
                // Renewed under a new agreement, sometimes itself ending in the near future.
                Instant renewedUntil = rng.nextDouble() < 0.3 ? AS_OF.plus(Duration.ofDays(30L + rng.nextInt(900))) : null;
                agreements.add(agreement(id, until, renewedUntil, consentDays, volume, templates, rng, true));
            } else {
                status = rng.nextDouble() < 0.5 ? PartnerStatus.RETIRED : PartnerStatus.ACTIVE;
            }
        }
        if (status == PartnerStatus.ACTIVE && rng.nextDouble() < 0.06) {
            status = PartnerStatus.SUSPENDED;
        }
        add(new Partner(id, slug, name, kind, status, registered), agreements);
    }

    private Agreement agreement(long partnerId, Instant from, Instant until, int consentDays, long volume,
                                List<PurposeTemplate> templates, SplittableRandom rng, boolean mayRetire) {
        long agreementId = nextAgreementId++;
        int n = 1 + rng.nextInt(Math.min(3, templates.size()));
        int start = rng.nextInt(templates.size());
        List<Purpose> purposes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant retired = null;
            // Some open agreements outlive features that were shut down years ago.
            if (mayRetire && i == 0 && n > 1 && rng.nextDouble() < 0.35) {
                long span = Duration.between(from, AS_OF).toDays();
                if (span > 400) {
                    retired = from.plus(Duration.ofDays(365 + rng.nextLong(span - 365)));
                }
            }
            purposes.add(purpose(agreementId, templates.get((start + i) % templates.size()), retired));
        }
        LocalDate fromDay = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate recert = rng.nextDouble() < 0.5 ? fromDay.plusYears(1) : LocalDate.of(2026, 1 + rng.nextInt(12), 1);
        return new Agreement(agreementId, partnerId, 1, from, until, recert, Duration.ofDays(consentDays), volume, purposes);
    }

    private Purpose purpose(long agreementId, PurposeTemplate t, Instant retired) {
        return new Purpose(nextPurposeId++, agreementId, t.code(), t.description(),
                t.scopes().stream().map(Scope::parse).collect(java.util.stream.Collectors.toSet()), t.friendsData(), retired);
    }

    private void add(Partner partner, List<Agreement> agreements) {
        entries.add(new PartnerEntry(partner, agreements));
        byte[] salt = new byte[16];
        Seeds.rng(seed, SECTION + 100, partner.id()).nextBytes(salt);
        clients.add(new PartnerClient(partner.slug(), partner.id(),
                ClientSecrets.hash(clientSecret(seed, partner.slug()), salt),
                List.of("http://localhost:8080/partner-callback/" + partner.slug())));
    }

    private static String name(PartnerKind kind, SplittableRandom rng) {
        List<String> first;
        List<String> second;
        switch (kind) {
            case APP -> { first = List.of("Quiz", "Snap", "Fit", "Trip", "Pix", "Poll", "Habit", "Cook", "Event", "Date", "Note", "Run");
                          second = List.of("ly", "hub", "nest", "spark", "loop", "mate", "wise", "pal", "zone", "box"); }
            case DEVICE_MAKER -> { first = List.of("Novatek", "Lumio", "Zentro", "Pixon", "Vantec", "Helix", "Quanta", "Arcus");
                                   second = List.of(" Mobile", " Devices", " Phones", " Electronics"); }
            case BANK -> { first = List.of("Harbor", "Summit", "Granite", "Meridian", "Oakridge", "Bluestone", "Riverton", "Kestrel", "Alder", "Lakeshore");
                           second = List.of(" Bank", " Savings", " Trust", " Financial", " Credit Union"); }
            case RETAILER -> { first = List.of("Daily", "Urban", "Family", "Bright", "Corner", "Prime", "Maple", "Cedar");
                               second = List.of(" Basket", " Market", " Aisle", " Bazaar", " Goods", " Crate"); }
            case SEARCH_ENGINE -> { first = List.of("Look", "Quest", "Scout", "Probe", "Trace", "Query");
                                    second = List.of("ly", "io", "wise", "hound", "beam"); }
            case MEDIA -> { first = List.of("Daily", "Morning", "Metro", "Global", "Civic", "Weekly", "Northern", "Open");
                            second = List.of(" Herald", " Ledger", " Post", " Courier", " Gazette", " Review"); }
            case MUSIC -> { first = List.of("Beat", "Echo", "Chord", "Vinyl", "Riff", "Tempo");
                            second = List.of("box", "cast", "stream", "deck", "wave"); }
            case VIDEO -> { first = List.of("Flick", "Screen", "Cine", "Frame", "Vista", "Reel");
                            second = List.of("ly", "box", "plex", "night", "stream"); }
            case AUTOMAKER -> { first = List.of("Vektor", "Solano", "Brenner", "Alto", "Nordvik", "Castell", "Kairo");
                                second = List.of(" Motors", " Automotive", " Cars", " Mobility"); }
            default -> { first = List.of("Pixel", "Dragon", "Castle", "Rocket", "Puzzle", "Farm", "Word", "Tower");
                         second = List.of(" Quest", " Saga", " Legends", " Tycoon", " Party", " Rush"); }
        }
        return Names.pick(first, rng) + Names.pick(second, rng);
    }

    private static List<PurposeTemplate> templates(PartnerKind kind) {
        PurposeTemplate signIn = new PurposeTemplate("sign-in", "Sign in with the platform account", List.of("profile:read"), false);
        return switch (kind) {
            case APP -> List.of(signIn,
                    new PurposeTemplate("find-friends", "Find friends who use the app", List.of("profile:read", "friends:read"), true),
                    new PurposeTemplate("invite-by-message", "Invite friends by private message", List.of("messages:write", "friends:read"), false),
                    new PurposeTemplate("event-sync", "Add plans to the calendar", List.of("calendar:read"), false));
            case GAME -> List.of(signIn,
                    new PurposeTemplate("invite-friends", "Invite friends to play", List.of("friends:read", "messages:write"), true),
                    new PurposeTemplate("leaderboard", "Compare scores with friends", List.of("profile:read", "friends:read"), true));
            case MEDIA -> List.of(signIn,
                    new PurposeTemplate("social-reading", "Show what friends read", List.of("profile:read", "friends:read"), true),
                    new PurposeTemplate("share-articles", "Share articles in messages", List.of("messages:write"), false));
            case RETAILER -> List.of(
                    new PurposeTemplate("personalised-offers", "Offers for the account holder", List.of("profile:read", "profile.contact:read"), false),
                    new PurposeTemplate("gift-reminders", "Remind of friends' birthdays", List.of("friends:read", "calendar:read"), true));
            case BANK -> List.of(
                    new PurposeTemplate("account-linking", "Link the bank account to the profile", List.of("profile:read", "profile.contact:read"), false),
                    new PurposeTemplate("pay-friends", "Pay friends", List.of("friends:read", "messages:write"), false));
            case DEVICE_MAKER -> List.of(
                    new PurposeTemplate("device-sync", "Sync contacts and calendar to the device", List.of("contacts:read", "calendar:read", "profile:read"), false),
                    new PurposeTemplate("contact-photos", "Show friends' profile pictures in the address book", List.of("friends:read", "profile:read"), true));
            case MUSIC -> List.of(
                    new PurposeTemplate("listening-activity", "Show what friends listen to", List.of("profile:read", "friends:read"), true),
                    new PurposeTemplate("share-songs", "Share songs in messages", List.of("messages:write", "friends:read"), false));
            case VIDEO -> List.of(signIn,
                    new PurposeTemplate("watch-together", "Invite friends to watch together", List.of("friends:read", "messages:write"), false));
            case SEARCH_ENGINE -> List.of(
                    new PurposeTemplate("social-results", "Show friends' public posts in results", List.of("profile:read", "friends:read"), true),
                    new PurposeTemplate("people-search", "Find people by name", List.of("profile:read"), false));
            case AUTOMAKER -> List.of(
                    new PurposeTemplate("in-car-calendar", "Show the day's calendar and contacts in the car", List.of("calendar:read", "contacts:read"), false),
                    new PurposeTemplate("driver-profile", "Personalise the car to the driver", List.of("profile:read"), false));
        };
    }

    static Instant day(String isoDate) {
        return LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
