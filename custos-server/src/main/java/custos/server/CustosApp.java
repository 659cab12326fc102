package custos.server;

import custos.audit.AccessLog;
import custos.policy.DecisionEngine;
import custos.policy.PolicyView;
import custos.server.account.AccountPages;
import custos.server.account.PartnersPage;
import custos.server.account.PersonNames;
import custos.server.account.SettingsPage;
import custos.server.api.BulkFlagStore;
import custos.server.api.BulkGuard;
import custos.server.limits.DailyReach;
import custos.server.limits.SharedRateLimiter;
import custos.server.audit.GroupCommitAccessLog;
import custos.server.audit.LogEndpoints;
import custos.server.audit.LogIntegrator;
import custos.server.keys.KeySource;
import custos.server.keys.MasterKey;
import custos.server.keys.PersonKeyWrapping;
import custos.server.api.Gate;
import custos.server.api.OpenApiEndpoint;
import custos.server.api.PartnerApi;
import custos.server.api.PersonData;
import custos.server.api.RequestsInFlight;
import custos.server.http.CustosServer;
import custos.server.oauth.OAuthServer;
import custos.server.oauth.OAuthSettings;
import custos.server.policy.ChangeBarrier;
import custos.server.policy.Changes;
import custos.server.policy.ConsentChanges;
import custos.server.policy.InstanceLease;
import custos.server.policy.PolicyFollower;
import custos.server.policy.PartnerChanges;
import custos.server.policy.PolicyLoader;
import custos.server.policy.SettingsChanges;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import custos.server.http.HealthEndpoint;
import custos.server.http.MetricsEndpoint;
import custos.server.http.PublicUrl;
import custos.server.http.ServerEdge;
import custos.server.http.ServerLimits;
import custos.server.http.StoreOutage;
import custos.server.http.StaticFiles;
import custos.server.http.WebFeature;
import custos.server.pages.HomePage;
import custos.server.pages.PartnerCallbackPage;
import custos.server.pages.ProblemPage;
import custos.server.pages.HomeView;
import custos.server.pages.Pages;
import custos.server.store.Database;
import custos.server.store.StoreWatch;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The composition root: wires the store, the decision engine, the audit log, OAuth, the partner API and the
 * pages into one running gateway. Everything is built here explicitly; nothing is discovered.
 */
public final class CustosApp implements AutoCloseable {
    public static final String VERSION = Version.CURRENT;

    private final Database database;
    private final CustosServer server;
    private final PolicyFollower follower;
    private final OAuthServer oauth;
    private final DecisionEngine engine;
    private final Changes changes;

    private final GroupCommitAccessLog log;
    private final LogIntegrator integrator;
    private final List<WebFeature> features;
    private final StoreWatch storeWatch;
    /** The instance's background work besides the log and the follower: input recorder, log monitor, gauges. */
    private final AutoCloseable background;
    private final custos.server.witness.LogWitnesses witnesses;

    private CustosApp(Database database, CustosServer server, PolicyFollower follower, OAuthServer oauth, DecisionEngine engine,
                      Changes changes, GroupCommitAccessLog log, LogIntegrator integrator, List<WebFeature> features,
                      StoreWatch storeWatch, AutoCloseable background, custos.server.witness.LogWitnesses witnesses) {
        this.background = background;
        this.witnesses = witnesses;
        this.features = List.copyOf(features);
        this.storeWatch = storeWatch;
        this.changes = changes;
        this.log = log;
        this.integrator = integrator;
        this.database = database;
        this.server = server;
        this.follower = follower;
        this.oauth = oauth;
        this.engine = engine;
    }

    /** Starts the gateway on an open store; closing the app stops the server, then closes the store. */
    public static CustosApp start(Database database, Options options) {
        custos.server.logs.LogSetup.bridge();
        String host = options.host();
        int port = options.port();
        PublicUrl publicUrl = options.publicUrl();
        Jdbi jdbi = database.jdbi();
        Clock clock = options.clock();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pages pages = new Pages();
        var partners = new JdbiPartnerStore(jdbi);
        var consents = new JdbiConsentStore(jdbi);
        var settings = new JdbiSettingsStore(jdbi);
        var feed = new JdbiPolicyChangeFeed(jdbi);

        // Keys from outside the store (issue 15): person keys unwrap with the master key, the log signs with its key file.
        MasterKey master = options.keys().master(jdbi);
        PersonKeyWrapping.install(jdbi, master);
        LogIntegrator integrator = new LogIntegrator(jdbi, options.keys().logSigner(jdbi, options.logOrigin()));
        RequestsInFlight inFlight = new RequestsInFlight();
        io.micrometer.core.instrument.Gauge.builder("custos.partner.requests.in.flight", inFlight, RequestsInFlight::getAsInt)
                .description("Partner API requests being served that will append to the audit log").register(meters);
        GroupCommitAccessLog log = new GroupCommitAccessLog(database.dataSource(), master,
                custos.server.metrics.MeteredAccessLog.batches(integrator, meters), inFlight);

        PolicyLoader loader = new PolicyLoader(jdbi, partners, consents, settings, feed);
        PolicyView view = loader.load();
        SharedRateLimiter rates = new SharedRateLimiter(database.quickDataSource(), options.partnerRate(), options.tokenRate());
        DecisionEngine engine = new DecisionEngine(view, rates);
        ChangeBarrier barrier = new ChangeBarrier(jdbi, feed);
        Changes changes = new Changes(new ConsentChanges(consents, barrier), new SettingsChanges(settings, barrier),
                new PartnerChanges(partners, barrier));
        // Without a public URL the issuer is this machine's localhost at the port the server ends up on (known only
        // once it listens, for port 0); with one, it is that URL and nothing a request says can change it.
        AtomicReference<PublicUrl> issuer = new AtomicReference<>(publicUrl == null
                ? PublicUrl.localhost(port, options.edge().secure()) : publicUrl);
        OAuthSettings oauthSettings = OAuthSettings.defaults(() -> issuer.get().uri(), issuer.get().secure());
        if (options.accessTokenTtl() != null) {
            oauthSettings = oauthSettings.withAccessTokenTtl(options.accessTokenTtl());
        }
        OAuthServer oauth = OAuthServer.create(jdbi, partners, consents, pages, oauthSettings, clock, barrier::awaitEverywhere,
                changes.consents());
        InstanceLease lease = new InstanceLease(jdbi, LEASE);
        PolicyFollower follower = new PolicyFollower(view, feed, loader, consents, settings,
                lease, List.of(oauth.accessTokens()::apply, log::apply), Duration.ofMillis(50));
        BulkFlagStore bulkFlags = new BulkFlagStore(jdbi, lease.id());
        BulkGuard bulk = new BulkGuard(new DailyReach(jdbi), flag -> {
            if (bulkFlags.record(flag)) {
                io.micrometer.core.instrument.Counter.builder("custos.bulk.extraction.flags")
                        .description("Partner-days flagged by the bulk-extraction guard (daily volume above its bound), by"
                                + " partner id; counted by the instance that flagged first, so a sum over instances is exact")
                        .tag("partner", Long.toString(flag.partnerId())).register(meters).increment();
            }
        });
        Gate gate = new Gate(oauth.accessTokens(), engine, follower::mayDecide,
                custos.server.metrics.MeteredAccessLog.of(log, meters), bulk, rates::retryAfterSeconds, clock);
        custos.server.metrics.GatewayGauges meteredGauges = custos.server.metrics.GatewayGauges.bind(meters, database.dataSource(), integrator, follower, feed);
        // Issue 15: decision inputs committed to the log (a snapshot before the first decision, then every change).
        var inputs = new custos.server.audit.DecisionInputRecorder(database.dataSource(), master, partners, consents, settings,
                new custos.server.store.JdbiPeopleStore(jdbi), () -> view, integrator).start(Duration.ofMillis(200));
        custos.server.console.LogMonitor logMonitor = new custos.server.console.LogMonitor(jdbi, integrator.signer().verifierKey(), clock, meters);
        AutoCloseable background = () -> {
            logMonitor.close();
            inputs.close();
            meteredGauges.close();
        };
        StoreWatch storeWatch = new StoreWatch(database);
        List<WebFeature> features = new ArrayList<>();
        features.add(new StoreOutage(storeWatch::failure));
        features.add(new HomePage(pages, () -> home(database)));
        features.add(new StaticFiles());
        // The store check is the watch's last answer, not a query of its own: a dead store must not make /health wait.
        features.add(new HealthEndpoint(Map.of())
                .with("store", storeWatch::failure)
                .with("policy", () -> follower.mayDecide() ? Optional.empty() : Optional.of(""))
                .with("log", () -> integrator.failure().map(Throwable::getMessage))
                .with("logMonitor", logMonitor::failure));
        features.add(new MetricsEndpoint(meters));
        features.addAll(oauth.features());
        features.add(new AccountPages(pages, oauth.sessions(), oauth.login(), new PersonNames(jdbi)));
        features.add(new custos.server.account.DownloadPages(pages, new custos.server.account.SignedIn(oauth.sessions()), jdbi, integrator));
        features.add(PartnersPage.of(pages, oauth, consents, changes, barrier::awaitEverywhere, jdbi, clock));
        features.add(new SettingsPage(pages, oauth.sessions(), settings, changes.settings(), clock));
        features.add(new custos.server.account.HistoryPage(pages, oauth.sessions(), jdbi, clock));
        features.add(new OpenApiEndpoint());
        features.add(new PartnerCallbackPage(pages));
        features.add(new ProblemPage(pages));
        custos.server.witness.LogWitnesses witnesses = custos.server.witness.LogWitnesses.start(jdbi, integrator, options.witnesses(), meters);
        features.add(new LogEndpoints(jdbi, integrator, witnesses::served));
        features.add(new custos.server.audit.LogKeysEndpoint(integrator.keyring()));
        features.add(new PartnerApi(gate, new PersonData(database), engine, clock, inFlight));
        features.addAll(custos.server.console.ConsoleFeatures.of(pages, oauth.sessions(), jdbi, barrier, clock, integrator::nudge, logMonitor));
        features.addAll(options.extraFeatures());
        CustosServer server;
        try {
            server = CustosServer.start(host, port, meters, features, options.limits(), options.edge());
        } catch (RuntimeException e) {
            witnesses.close();
            follower.close();
            log.close();
            integrator.close();
            storeWatch.close();
            try {
                background.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        logMonitor.start();
        if (publicUrl == null) {
            issuer.set(PublicUrl.localhost(server.port(), options.edge().secure()));
        }
        return new CustosApp(database, server, follower, oauth, engine, changes, log, integrator, features, storeWatch,
                background, witnesses);
    }

    /** The features whose routes this app serves, in order (a test checks them against the OpenAPI description). */
    public List<WebFeature> features() {
        return features;
    }

    public AccessLog accessLog() {
        return log;
    }

    public LogIntegrator log() {
        return integrator;
    }

    /** The witnesses cosigning the log's checkpoints, and the cosigned checkpoint served. */
    public custos.server.witness.LogWitnesses witnesses() {
        return witnesses;
    }

    /**
     * How long an instance may decide without hearing from the store. A change call waits at most the gap give-up
     * (3 s) plus this for an instance that lags (docs/architecture.md, "Freshness").
     */
    static final Duration LEASE = Duration.ofSeconds(2);

    /**
     * How to run: where to listen, the public URL (the OAuth issuer and the base of every URL the gateway hands out;
     * null means http://localhost:port, https with direct TLS), the request rates per partner and per token (requests per second, also the
     * burst), the clock decisions are made on, the access-token lifetime (null: the OAuth default), the log's origin
     * line (its checkpoint name), routes added by an embedding program (the benchmark's baseline lives outside
     * this jar, in custos-bench), the listener's limits, its edge (direct TLS, trusted proxies), and where its keys come from.
     */
    public record Options(String host, int port, PublicUrl publicUrl, double partnerRate, double tokenRate, Clock clock,
                          Duration accessTokenTtl, String logOrigin, List<WebFeature> extraFeatures, ServerLimits limits,
                          ServerEdge edge, List<custos.server.witness.WitnessPeer> witnesses, KeySource keys) {
        public Options {
            extraFeatures = List.copyOf(extraFeatures);
            witnesses = List.copyOf(witnesses);
        }

        /** The witnesses asked to cosign each checkpoint (docs/operations.md, "Witnesses"); empty: none. */
        public Options withWitnesses(List<custos.server.witness.WitnessPeer> peers) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, accessTokenTtl, logOrigin, extraFeatures, limits, edge, peers, keys);
        }

        public static Options on(String host, int port) {
            return new Options(host, port, null, 20_000, 200, Clock.systemUTC(), null, "custos.local/log", List.of(),
                    ServerLimits.DEFAULTS, ServerEdge.PLAIN, List.of(), KeySource.forThisProcess());
        }

        public Options withRates(double partnerRate, double tokenRate) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, accessTokenTtl, logOrigin, extraFeatures, limits, edge, witnesses, keys);
        }

        /** A simulated clock and longer-lived tokens: for replays of the past through the real server. */
        public Options simulated(Clock simulated, Duration tokenTtl) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, simulated, tokenTtl, logOrigin, extraFeatures, limits, edge, witnesses, keys);
        }

        public Options withFeatures(List<WebFeature> features) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, accessTokenTtl, logOrigin, features, limits, edge, witnesses, keys);
        }

        public Options withAccessTokenTtl(Duration ttl) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, ttl, logOrigin, extraFeatures, limits, edge, witnesses, keys);
        }

        /** The audit log's origin line: its checkpoints' name, fixed for the life of a log. */
        public Options withLogOrigin(String origin) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, accessTokenTtl, origin, extraFeatures, limits, edge, witnesses, keys);
        }

        /** Timeouts, connection and body limits of the listener (docs/operations.md, "Limits"). */
        public Options withLimits(ServerLimits serverLimits) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, accessTokenTtl, logOrigin, extraFeatures,
                    serverLimits, edge, witnesses, keys);
        }

        /** Direct TLS and the proxies trusted to name clients (docs/operations.md, "The public URL"). */
        public Options withEdge(ServerEdge serverEdge) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, accessTokenTtl, logOrigin, extraFeatures, limits,
                    serverEdge, witnesses, keys);
        }

        /**
         * Where the log's signing key and the master key come from (docs/operations.md, "Keys"); {@link #on} starts
         * with keys made for this process only, which suits a store thrown away with it.
         */
        public Options withKeys(KeySource source) {
            return new Options(host, port, publicUrl, partnerRate, tokenRate, clock, accessTokenTtl, logOrigin, extraFeatures, limits,
                    edge, witnesses, source);
        }

        /** Reached at {@code url} (null: http://localhost:port), e.g. behind a TLS-terminating proxy. */
        public Options withPublicUrl(PublicUrl url) {
            return new Options(host, port, url, partnerRate, tokenRate, clock, accessTokenTtl, logOrigin, extraFeatures, limits, edge, witnesses, keys);
        }
    }

    public OAuthServer oauth() {
        return oauth;
    }

    /** Consent, settings and partner changes, each effective on every instance when its call returns. */
    public Changes changes() {
        return changes;
    }

    public DecisionEngine engine() {
        return engine;
    }

    public int port() {
        return server.port();
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        server.close();
        witnesses.close();
        follower.close();
        log.close();
        integrator.close();
        storeWatch.close();
        try {
            background.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        database.close();
    }

    private static HomeView home(Database database) {
        long[] counts = database.jdbi().withHandle(h -> h.createQuery(
                        "select (select count(*) from people), (select count(*) from partners)")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
        return new HomeView(VERSION, counts[0], counts[1], List.of(
                new HomeView.Link("Your account", "/account/sign-in",
                        "sign in to see which partners reach your data, withdraw, change your settings, download it all"),
                new HomeView.Link("Console", "/console", "operators and auditors: the partner inventory and operator actions"),
                new HomeView.Link("Health", "/health", "whether the store answers"),
                new HomeView.Link("Metrics", "/metrics", "Prometheus metrics of this instance")));
    }
}
