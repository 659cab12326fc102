package custos.world;

import custos.partner.Agreement;
import custos.partner.PartnerClient;
import custos.partner.PartnerEntry;
import custos.people.MessageThread;
import java.time.Instant;
import java.util.List;

/**
 * Generates the reference world of the product brief, deterministically for a seed: 156 partners (the six
 * {@link Archetype}s with ids 1-6, then 150 invented ones of every kind), agreements from 2010 on, and
 * {@code spec.people()} people with friends, threads, messages, contacts, events, privacy settings and consents.
 * The world's timeline ends at {@link #AS_OF}; person {@link #DEMO_PERSON} has consented to every archetype.
 */
public final class ReferenceWorld {
    /** The moment the generated history ends; a replay covers the year before it. */
    public static final Instant AS_OF = Instant.parse("2026-01-01T00:00:00Z");
    /** A person with live consents to all six archetypes and partner sharing off for contacts and calendar. */
    public static final long DEMO_PERSON = 1;

    private final WorldSpec spec;

    public ReferenceWorld(WorldSpec spec) {
        this.spec = spec;
    }

    /** The partners and their agreements alone (small; the seed command and tests use it). */
    public static List<PartnerEntry> partners(long seed) {
        return PartnerCatalog.build(seed).entries();
    }

    /** The client secret of a partner's OAuth client (client id = slug) in the world of {@code seed}. */
    public static String clientSecret(long seed, String slug) {
        return PartnerCatalog.clientSecret(seed, slug);
    }

    public void generate(WorldSink sink) {
        long seed = spec.seed();
        PartnerCatalog catalog = PartnerCatalog.build(seed);
        catalog.entries().forEach(e -> sink.partner(e.partner()));
        for (PartnerClient client : catalog.clients()) {
            sink.client(client);
        }
        for (PartnerEntry e : catalog.entries()) {
            for (Agreement a : e.agreements()) {
                sink.agreement(a);
            }
        }
        long n = spec.people();
        Population people = new Population(seed, n);
        for (long id = 1; id <= n; id++) {
            sink.person(people.person(id));
        }
        for (long id = 1; id <= n; id++) {
            people.friendships(id, sink);
        }
        Population threads = new Population(seed, n);
        for (long id = 1; id <= n; id++) {
            threads.threads(id).forEach(sink::thread);
        }
        Population messages = new Population(seed, n);
        for (long id = 1; id <= n; id++) {
            for (MessageThread t : messages.threads(id)) {
                messages.messages(t, sink);
            }
        }
        for (long id = 1; id <= n; id++) {
            people.contacts(id, sink);
        }
        for (long id = 1; id <= n; id++) {
            people.events(id, sink);
        }
        SettingsMix settings = new SettingsMix(seed);
        for (long id = 1; id <= n; id++) {
            settings.settings(id, people.joinedAt(id), sink);
        }
        ConsentMix consents = new ConsentMix(seed, catalog.entries());
        for (long id = 1; id <= n; id++) {
            consents.consents(id, people.joinedAt(id), sink);
        }
        sink.end();
    }
}
