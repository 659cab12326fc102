package custos.world.load;

import custos.consent.Consent;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.people.Friendship;
import custos.people.PrivacySettings;
import custos.policy.PolicyView;
import custos.world.ReferenceWorld;
import custos.world.WorldSink;
import custos.world.WorldSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills a {@link PolicyView} straight from the reference world generator, without a store: for benchmarks and the
 * {@code bench} command. Consents and settings go in as they stream; partners (whose agreements arrive after them)
 * and friendships (emitted one by one) are collected and put in at {@link #end()}, the friend graph as one sorted
 * array per person built from a compact edge list, since growing per-person arrays edge by edge is quadratic.
 */
public final class PolicyViewLoader implements WorldSink {
    private final PolicyView view;
    private final Map<Long, Partner> partners = new LinkedHashMap<>();
    private final Map<Long, List<Agreement>> agreements = new LinkedHashMap<>();
    private long[] edgeA = new long[1 << 16];
    private long[] edgeB = new long[1 << 16];
    private int edges;
    private long maxPerson;

    public PolicyViewLoader(PolicyView view) {
        this.view = view;
    }

    /** Generates the reference world of {@code spec} into a new view. */
    public static PolicyView load(WorldSpec spec) {
        PolicyView view = new PolicyView((int) Math.min(Integer.MAX_VALUE / 4, spec.people()));
        new ReferenceWorld(spec).generate(new PolicyViewLoader(view));
        return view;
    }

    @Override
    public void partner(Partner partner) {
        partners.put(partner.id(), partner);
    }

    @Override
    public void agreement(Agreement agreement) {
        agreements.computeIfAbsent(agreement.partnerId(), id -> new ArrayList<>()).add(agreement);
    }

    @Override
    public void friendship(Friendship f) {
        if (edges == edgeA.length) {
            edgeA = Arrays.copyOf(edgeA, edges * 2);
            edgeB = Arrays.copyOf(edgeB, edges * 2);
        }
        edgeA[edges] = f.personA();
        edgeB[edges] = f.personB();
        edges++;
        maxPerson = Math.max(maxPerson, f.personB());
    }

    @Override
    public void settings(PrivacySettings settings) {
        view.putSettings(settings);
    }

    @Override
    public void consent(Consent consent) {
        view.putConsent(consent);
    }

    @Override
    public void end() {
        for (Partner p : partners.values()) {
            view.putPartner(new PartnerEntry(p, agreements.getOrDefault(p.id(), List.of())));
        }
        putFriends();
    }

    private void putFriends() {
        if (maxPerson >= Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("person ids beyond the int range: " + maxPerson);
        }
        int[] start = new int[(int) maxPerson + 2];
        for (int i = 0; i < edges; i++) {
            start[(int) edgeA[i] + 1]++;
            start[(int) edgeB[i] + 1]++;
        }
        for (int p = 1; p < start.length; p++) {
            start[p] += start[p - 1];
        }
        long[] adjacent = new long[edges * 2];
        int[] fill = start.clone();
        for (int i = 0; i < edges; i++) {
            adjacent[fill[(int) edgeA[i]]++] = edgeB[i];
            adjacent[fill[(int) edgeB[i]]++] = edgeA[i];
        }
        edgeA = null;
        edgeB = null;
        for (int p = 0; p <= maxPerson; p++) {
            if (start[p + 1] > start[p]) {
                view.putFriends(p, Arrays.copyOfRange(adjacent, start[p], start[p + 1]));
            }
        }
    }
}
