package custos.server.policy;

import custos.consent.ConsentStore;
import custos.people.SettingsStore;
import custos.policy.PolicyChange;
import custos.policy.PolicyChangeFeed;
import custos.policy.PolicyView;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Keeps one instance's {@link PolicyView} current by tailing the {@code policy_changes} feed, and holds this
 * instance's lease: the right to decide. Each poll that reaches the store renews the lease and reports how far the
 * view has been brought ({@code applied_floor}); when polls fail or fall behind, the lease lapses and
 * {@link #mayDecide()} turns false, so the gateway answers 503 rather than decide on a stale view.
 *
 * <p>Sequence numbers are assigned at insert, so a transaction that commits late can make a lower seq visible after
 * a higher one. The follower therefore tracks the floor (every seq at or below it applied) and the gaps above it; a
 * gap that stays empty longer than {@link #GAP_GIVE_UP} is taken for a rolled-back transaction and skipped; since
 * it may instead belong to a transaction that is merely slow to commit, skipped numbers are looked up again on every
 * poll for {@link #LATE_WATCH} and applied if they appear.
 */
public final class PolicyFollower implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PolicyFollower.class);
    /** The store down for minutes is a handful of lines, not one stack trace per 50 ms poll. */
    private final custos.server.logs.RepeatedFailure storeDown = new custos.server.logs.RepeatedFailure(LOG,
            "policy follower could not reach the store; this instance stops deciding when its lease lapses");
    private final custos.server.logs.RepeatedFailure unknownKind = new custos.server.logs.RepeatedFailure(LOG,
            "policy follower stopped at a change it cannot apply");
    static final Duration GAP_GIVE_UP = Duration.ofSeconds(3);
    static final Duration LATE_WATCH = Duration.ofMinutes(1);

    private final PolicyView view;
    private final PolicyChangeFeed feed;
    private final PolicyLoader loader;
    private final ConsentStore consents;
    private final SettingsStore settings;
    private final InstanceLease lease;
    private final List<Consumer<PolicyChange>> listeners;
    private final Duration pollEvery;
    private final Thread thread;

    private long floor;
    private final TreeSet<Long> appliedAboveFloor = new TreeSet<>();
    private final TreeMap<Long, Long> gapsSeenAt = new TreeMap<>();
    private final TreeMap<Long, Long> skippedAt = new TreeMap<>();
    private volatile long leaseDeadlineNanos;
    private volatile boolean running = true;

    public PolicyFollower(PolicyView view, PolicyChangeFeed feed, PolicyLoader loader, ConsentStore consents,
                          SettingsStore settings, InstanceLease lease, List<Consumer<PolicyChange>> listeners,
                          Duration pollEvery) {
        this.view = view;
        this.feed = feed;
        this.loader = loader;
        this.consents = consents;
        this.settings = settings;
        this.lease = lease;
        this.listeners = List.copyOf(listeners);
        this.pollEvery = pollEvery;
        this.floor = view.watermark();
        pollOnce();
        this.thread = Thread.ofPlatform().daemon().name("custos-policy-follower").start(this::run);
    }

    /** Whether this instance may decide now: its lease, renewed by a successful poll, has not lapsed. */
    public boolean mayDecide() {
        return System.nanoTime() < leaseDeadlineNanos;
    }

    public long floor() {
        synchronized (this) {
            return floor;
        }
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(pollEvery);
            } catch (InterruptedException e) {
                return;
            }
            pollOnce();
        }
    }

    /**
     * One poll: apply what is new, advance the floor, renew the lease. When the lease cannot be renewed (it lapsed,
     * or a change call stopped waiting for this instance and deleted its row), the instance enters again and polls
     * once more: the first read may predate a change whose call has already returned, and only a read made after
     * entering is sure to include it. Public for tests that step it.
     */
    public synchronized void pollOnce() {
        if (pollAndRenew() == Renewal.ENTERED) {
            pollAndRenew();
        }
    }

    private enum Renewal { RENEWED, ENTERED, NOT_TRIED }

    private Renewal pollAndRenew() {
        long started = System.nanoTime();
        try {
            List<PolicyChange> changes = feed.after(floor, 5_000);
            for (PolicyChange change : changes) {
                if (appliedAboveFloor.contains(change.seq())) {
                    continue;
                }
                apply(change);
                appliedAboveFloor.add(change.seq());
            }
            advanceFloor(started);
            applyLateCommits(started);
            view.advanceTo(floor);
            boolean caughtUp = gapsSeenAt.isEmpty() || oldestGapAge(started) < GAP_GIVE_UP.toNanos() / 3;
            if (!caughtUp || changes.size() >= 5_000) {
                return Renewal.NOT_TRIED;
            }
            if (!lease.renew(floor)) {
                lease.enter(floor);
                return Renewal.ENTERED;
            }
            // The local deadline counts from before the read and ends before the database's lease_until does.
            long granted = lease.length().toNanos();
            leaseDeadlineNanos = started + granted - granted / 5;
            storeDown.succeeded();
            unknownKind.succeeded();
            return Renewal.RENEWED;
        } catch (ChangeKind.Unknown e) {
            unknownKind.failed(e);
            return Renewal.NOT_TRIED;
        } catch (RuntimeException e) {
            storeDown.failed(e);
            return Renewal.NOT_TRIED;
        }
    }

    private void advanceFloor(long now) {
        long next = floor + 1;
        while (true) {
            if (appliedAboveFloor.remove(next)) {
                gapsSeenAt.remove(next);
                floor = next++;
                continue;
            }
            if (appliedAboveFloor.isEmpty() || appliedAboveFloor.first() < next) {
                break;
            }
            // next is missing while something above it was applied: a gap. Give up on it after a while.
            Long seen = gapsSeenAt.putIfAbsent(next, now);
            if (seen != null && now - seen > GAP_GIVE_UP.toNanos()) {
                gapsSeenAt.remove(next);
                skippedAt.put(next, now);
                floor = next++;
                continue;
            }
            break;
        }
        gapsSeenAt.headMap(floor, true).clear();
    }

    /** Applies skipped changes whose transactions have committed after all; forgets those skipped long ago. */
    private void applyLateCommits(long now) {
        skippedAt.values().removeIf(at -> now - at > LATE_WATCH.toNanos());
        if (skippedAt.isEmpty()) {
            return;
        }
        for (PolicyChange late : feed.only(skippedAt.keySet())) {
            apply(late);
            long after = Duration.ofNanos(now - skippedAt.remove(late.seq())).toMillis() + GAP_GIVE_UP.toMillis();
            LOG.warn("policy change " + late.seq() + " (" + late.kind() + ") committed about " + after
                    + " ms after its number was taken; applied late, after the change call that made it may have returned");
        }
    }

    private long oldestGapAge(long now) {
        return gapsSeenAt.isEmpty() ? 0 : now - gapsSeenAt.firstEntry().getValue();
    }

    private void apply(PolicyChange change) {
        switch (ChangeKind.of(change.kind())) {
            // Each change is noted before it is applied, so an entry never cites less than the state it read; the
            // recorder commits an input for exactly these changes (DecisionInputRecorder), which an auditor is shown.
            case PARTNER, AGREEMENT, PURPOSE -> {
                if (change.partnerId() != null) {
                    view.partnerInputChanged(change.partnerId(), change.seq());
                }
                loader.reloadPartners(view);
            }
            case CONSENT -> consents.find(change.refId()).ifPresent(c -> {
                view.personInputChanged(c.personId(), change.seq());
                view.putConsent(c);
            });
            case SETTINGS -> {
                if (change.personId() != null) {
                    view.personInputChanged(change.personId(), change.seq());
                    settings.history(change.personId()).forEach(view::putSettings);
                }
            }
            case FRIENDS -> {
                if (change.personId() != null) {
                    view.personInputChanged(change.personId(), change.seq());
                    loader.reloadFriends(view, change.personId());
                }
            }
            case WORLD_SEEDED -> LOG.warn("the world was re-seeded under a running gateway; restart it to reload");
            // Read by the listeners below: the token cache and the audit writer's person keys.
            case OAUTH_TOKEN, PERSON_KEY_ERASED -> { }
        }
        for (Consumer<PolicyChange> listener : listeners) {
            listener.accept(change);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.release();
    }
}
