package custos.server.policy;

import custos.consent.ConsentStore;
import custos.partner.PartnerStore;
import custos.people.SettingsStore;
import custos.policy.PolicyChangeFeed;
import custos.policy.PolicyView;
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

    public PolicyLoader(Jdbi jdbi, PartnerStore partners, ConsentStore consents, SettingsStore settings, PolicyChangeFeed feed) {
        this.jdbi = jdbi;
        this.partners = partners;
        this.consents = consents;
        this.settings = settings;
        this.feed = feed;
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
        view.advanceTo(position);
        return view;
    }

    public void reloadPartners(PolicyView view) {
        partners.loadAll().forEach(view::putPartner);
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
