package custos.server.policy;

import custos.consent.ConsentStore;
import custos.partner.PartnerStore;
import custos.people.PeopleStore;
import custos.people.SettingsStore;
import custos.policy.PolicyChangeFeed;
import custos.policy.PolicyView;
import custos.server.store.JdbiPeopleStore;
import java.sql.Array;
import org.jdbi.v3.core.Jdbi;

/**
 * Fills a {@link PolicyView} from the store: every partner with its agreements, every consent record, every
 * settings version, and the friend graph. The feed position is read first, so changes made during the load are
 * applied again afterwards by the follower (every application is idempotent).
 */
public final class PolicyLoader {
    private final Jdbi jdbi;
    private final PartnerStore partners;
    private final ConsentStore consents;
    private final SettingsStore settings;
    private final PolicyChangeFeed feed;
    private final PeopleStore people;

    public PolicyLoader(Jdbi jdbi, PartnerStore partners, ConsentStore consents, SettingsStore settings, PolicyChangeFeed feed) {
        this.jdbi = jdbi;
        this.partners = partners;
        this.consents = consents;
        this.settings = settings;
        this.feed = feed;
        this.people = new JdbiPeopleStore(jdbi);
    }

    /** A fresh view of the whole store, its watermark at the feed position read before loading. */
    public PolicyView load() {
        long position = feed.latest();
        int people = jdbi.withHandle(h -> h.createQuery("select count(*) from people").mapTo(Integer.class).one());
        PolicyView view = new PolicyView(people);
        reloadPartners(view);
        consents.forEachConsent(view::putConsent);
        settings.forEachVersion(view::putSettings);
        loadFriends(view);
        loadInputSeqs(view, position);
        view.advanceTo(position);
        return view;
    }

    /**
     * What the view cites for each person and partner until the follower applies a newer change (issue 15): the newest
     * change to them at or before the feed position, or the world's seeding when there was none since.
     */
    private void loadInputSeqs(PolicyView view, long position) {
        jdbi.useTransaction(h -> {
            h.createQuery("select max(seq) from policy_changes where kind = 'world_seeded' and seq <= :p")
                    .bind("p", position).mapTo(Long.class).findOne().ifPresent(view::inputBase);
            h.createQuery("""
                            select person_id, max(seq) from policy_changes
                             where seq <= :p and kind in ('consent', 'settings', 'friends') and person_id is not null group by person_id""")
                    .bind("p", position).setFetchSize(10_000)
                    .map((rs, ctx) -> {
                        view.personInputChanged(rs.getLong(1), rs.getLong(2));
                        return Boolean.TRUE;
                    }).forEach(x -> { });
            h.createQuery("""
                            select partner_id, max(seq) from policy_changes
                             where seq <= :p and kind in ('partner', 'agreement', 'purpose') and partner_id is not null
                             group by partner_id""")
                    .bind("p", position)
                    .map((rs, ctx) -> {
                        view.partnerInputChanged(rs.getLong(1), rs.getLong(2));
                        return Boolean.TRUE;
                    }).forEach(x -> { });
        });
    }

    public void reloadPartners(PolicyView view) {
        partners.loadAll().forEach(view::putPartner);
    }

    /** Replaces one person's friend list with the store's (a friendship made or ended). */
    public void reloadFriends(PolicyView view, long personId) {
        view.putFriends(personId, people.friendIds(personId).stream().mapToLong(Long::longValue).toArray());
    }

    private void loadFriends(PolicyView view) {
        // PostgreSQL groups the undirected edges per person; a transaction lets the driver stream with a cursor.
        jdbi.useTransaction(h -> h.createQuery("""
                        select p, array_agg(f) from (
                            select person_a as p, person_b as f from friendships
                            union all select person_b, person_a from friendships) e
                        group by p""")
                .setFetchSize(10_000)
                .map((rs, ctx) -> {
                    Array a = rs.getArray(2);
                    Long[] boxed = (Long[]) a.getArray();
                    long[] ids = new long[boxed.length];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = boxed[i];
                    }
                    view.putFriends(rs.getLong(1), ids);
                    return Boolean.TRUE;
                })
                .forEach(x -> { }));
    }
}
