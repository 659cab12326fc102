package custos.server.demo;

import custos.data.DataCategory;
import custos.server.oauth.DemoLogin;
import custos.server.oauth.PersonPasswords;
import custos.world.Archetype;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The people {@code custos demo} prints logins for, each chosen by a query on the seeded world to show one case: the
 * demo person, the person with the most friends, the person whose settings keep partners away from the most kinds of
 * data, and a person who consented to nothing yet whose friend list entry an archetype partner may reach through a
 * friend's consent (with that friend). Ties go to the lowest id, so a world seed always gives the same cast.
 */
public record DemoCast(List<Member> members, Optional<FriendReach> friendReach) {
    public static final String MANY_FRIENDS = "many-friends";
    public static final String KEEPS_PARTNERS_OUT = "keeps-partners-out";
    public static final String REACHED_THROUGH_A_FRIEND = "reached-via-friend";
    public static final String THE_FRIEND = "the-friend";

    public DemoCast {
        members = List.copyOf(members);
    }

    /** One printed login and the one line saying what it shows. */
    public record Member(DemoLogin login, String name, String shows) {}

    /**
     * A person with no consent of their own ({@code person}) who is a friend of {@code friend}, whose live consent to
     * the archetype {@code partnerSlug} for {@code purpose} covers friends' data and {@code friends:read}; the
     * person's own settings let their friends' partners see their friend list entry. {@code scopes} are that consent's
     * scopes within the purpose.
     */
    public record FriendReach(long person, long friend, String partnerSlug, String partnerName, String purpose,
                              List<String> scopes) {}

    /** Chooses the cast of the world in {@code jdbi}, with consents judged live at {@code now}. */
    public static DemoCast choose(Jdbi jdbi, long seed, Instant now) {
        return jdbi.withHandle(h -> {
            List<Member> members = new ArrayList<>();
            DemoLogin demo = DemoLogin.forWorld(seed);
            List<String> demoBlocked = blocked(h, demo.personId());
            members.add(new Member(demo, name(h, demo.personId()), "the demo person, who consented to all six archetype partners"
                    + (demoBlocked.isEmpty() ? "" : "; their settings keep partners away from " + words(demoBlocked))));
            List<Long> taken = new ArrayList<>(List.of(demo.personId()));

            long[] mostFriends = h.createQuery("""
                            select person, count(*) from (select person_a as person from friendships
                                                          union all select person_b from friendships) f
                            where person <> all(:taken) group by person order by count(*) desc, person limit 1""")
                    .bind("taken", ids(taken)).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne()
                    .orElseThrow(() -> new IllegalStateException("the world has no friendships"));
            members.add(new Member(DemoLogin.forPerson(seed, mostFriends[0], MANY_FRIENDS), name(h, mostFriends[0]),
                    "has " + mostFriends[1] + " friends, the most in this world: partners reaching friends' data meet many people's settings"));
            taken.add(mostFriends[0]);

            long keepsOut = h.createQuery(CURRENT_SETTINGS + """
                            select s.person_id from current_settings s
                            where s.person_id <> all(:taken)
                            order by (select count(*) from jsonb_each(s.categories) c where c.value ->> 'partners' = 'false') desc,
                                     exists (select 1 from consents k where k.person_id = s.person_id and k.withdrawn_at is null
                                             and (k.valid_until is null or k.valid_until > :now)) desc,
                                     s.person_id
                            limit 1""")
                    .bind("taken", ids(taken)).bind("now", Timestamp.from(now)).mapTo(Long.class).one();
            long consenting = h.createQuery("""
                            select count(distinct partner_id) from consents where person_id = :p and withdrawn_at is null
                            and (valid_until is null or valid_until > :now)""")
                    .bind("p", keepsOut).bind("now", Timestamp.from(now)).mapTo(Long.class).one();
            members.add(new Member(DemoLogin.forPerson(seed, keepsOut, KEEPS_PARTNERS_OUT), name(h, keepsOut),
                    "their settings keep partners away from " + words(blocked(h, keepsOut))
                            + (consenting == 0 ? "" : consenting == 1 ? ", even the partner they consented to"
                                    : ", even the " + consenting + " partners they consented to")));
            taken.add(keepsOut);

            Optional<FriendReach> reach = friendReach(h, now, taken);
            reach.ifPresent(r -> {
                String friendName = name(h, r.friend());
                members.add(new Member(DemoLogin.forPerson(seed, r.person(), REACHED_THROUGH_A_FRIEND), name(h, r.person()),
                        "consented to no partner, yet " + r.partnerName() + " may reach their friend list entry through the"
                                + " consent of their friend " + friendName + " (login '" + THE_FRIEND + "')"));
                members.add(new Member(DemoLogin.forPerson(seed, r.friend(), THE_FRIEND), friendName,
                        "shares friends' data with " + r.partnerName() + " for \"" + r.purpose() + "\""));
            });
            return new DemoCast(members, reach);
        });
    }

    /** Stores every member's login (bcrypt-hashed), replacing whatever login those people had. */
    public void install(PersonPasswords passwords) {
        members.forEach(m -> m.login().install(passwords));
    }

    public Member member(String login) {
        return members.stream().filter(m -> m.login().login().equals(login)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo login " + login));
    }

    /** Each person's newest settings version. */
    private static final String CURRENT_SETTINGS = """
            with current_settings as (
                select distinct on (person_id) person_id, categories from privacy_settings order by person_id, version desc)
            """;

    private static Optional<FriendReach> friendReach(Handle h, Instant now, List<Long> taken) {
        return h.createQuery(CURRENT_SETTINGS + """
                        select f.friend, c.person_id, p.slug, p.name, pu.code,
                               array(select s.scope from purpose_scopes s where s.purpose_id = pu.id
                                     and s.scope = any(c.scopes) order by s.scope) as scopes
                        from consents c
                        join partners p on p.id = c.partner_id and p.status = 'ACTIVE' and p.slug = any(:archetypes)
                        join agreements a on a.partner_id = p.id and a.valid_from <= :now
                             and (a.valid_until is null or a.valid_until > :now)
                        join purposes pu on pu.agreement_id = a.id and pu.code = any(c.purposes) and pu.friends_data
                             and (pu.retired_at is null or pu.retired_at > :now)
                        join purpose_scopes ps on ps.purpose_id = pu.id and ps.scope = 'friends:read'
                        join lateral (select person_b as friend from friendships where person_a = c.person_id
                                      union all select person_a from friendships where person_b = c.person_id) f on true
                        join current_settings fs on fs.person_id = f.friend
                        left join current_settings cs on cs.person_id = c.person_id
                        where c.friends_data and 'friends:read' = any(c.scopes) and c.withdrawn_at is null
                          and (c.valid_until is null or c.valid_until > :now)
                          and coalesce((cs.categories -> 'friends' ->> 'partners')::boolean, true)
                          and coalesce((fs.categories -> 'friends' ->> 'friendsPartners')::boolean, false)
                          and not exists (select 1 from consents o where o.person_id = f.friend)
                          and f.friend <> all(:taken) and c.person_id <> all(:taken)
                        order by f.friend, c.person_id, p.slug, pu.code
                        limit 1""")
                .bind("archetypes", Arrays.stream(Archetype.values()).map(Archetype::slug).toArray(String[]::new))
                .bind("now", Timestamp.from(now)).bind("taken", ids(taken))
                .map((rs, ctx) -> new FriendReach(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), List.of((String[]) rs.getArray(6).getArray())))
                .findOne();
    }

    /** The kinds of data the person's newest settings keep partners away from, in the order of {@link DataCategory}. */
    static List<String> blocked(Handle h, long person) {
        List<String> off = h.createQuery(CURRENT_SETTINGS + """
                        select c.key from current_settings s, jsonb_each(s.categories) c
                        where s.person_id = :p and c.value ->> 'partners' = 'false'""")
                .bind("p", person).mapTo(String.class).list();
        return Arrays.stream(DataCategory.values()).filter(c -> off.contains(c.code())).map(DataCategory::code).toList();
    }

    private static String plain(String category) {
        return switch (category) {
            case "profile" -> "basic profile";
            case "profile.contact" -> "email and phone";
            case "friends" -> "friend list";
            case "contacts" -> "address book";
            default -> category;
        };
    }

    /** "messages, address book and calendar". */
    private static String words(List<String> categories) {
        List<String> words = categories.stream().map(DemoCast::plain).toList();
        return switch (words.size()) {
            case 0 -> "nothing";
            case 1 -> words.get(0);
            default -> String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.getLast();
        };
    }

    private static String name(Handle h, long person) {
        return h.createQuery("select name from people where id = :p").bind("p", person).mapTo(String.class).one();
    }

    private static Long[] ids(List<Long> people) {
        return people.toArray(Long[]::new);
    }
}
