package custos.server.config;

import custos.server.http.PublicUrl;
import custos.server.http.ServerTls;
import custos.server.http.TrustedProxies;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The gateway's configuration, every setting in one place (docs/operations.md, "Configuration"): each is read from,
 * in this order of precedence, a command-line flag, its {@code CUSTOS_*} environment variable, the configuration file
 * ({@code --config FILE}, Java properties), or its default. Loading checks every value and reports every mistake at
 * once ({@link InvalidSettings}); an unknown key in the file is a mistake too, so a typo never goes unnoticed.
 */
public final class Settings {
    public static final Setting<Integer> PORT = Setting.of("port", "HTTP port (0: any free port)", "8080",
            Parsers.integer(0, 65_535));
    public static final Setting<String> HOST = Setting.of("host", "Address to listen on", "0.0.0.0", Parsers.text());
    public static final Setting<PublicUrl> PUBLIC_URL = Setting.of("public-url",
            "The URL partners and browsers reach this gateway by (OAuth issuer; https makes cookies Secure); default http://localhost:<port>",
            null, PublicUrl::parse);
    public static final Setting<Path> DATA = Setting.of("data", "Data folder of the embedded store (unused with db.url)", "data",
            text -> Path.of(Parsers.text().apply(text)));
    public static final Setting<String> DB_URL = Setting.of("db.url",
            "PostgreSQL JDBC URL (jdbc:postgresql://host:port/database); unset: the embedded store in data", null, Settings::jdbcUrl);
    public static final Setting<String> DB_USER = Setting.of("db.user", "PostgreSQL user", "postgres", Parsers.text());
    public static final Setting<String> DB_PASSWORD = Setting.secret("db.password", "PostgreSQL password", Parsers.text());
    public static final Setting<Integer> DB_POOL = Setting.of("db.pool", "Store connections of this instance", "16",
            Parsers.integer(2, 1_000));
    public static final Setting<Double> RATE_PARTNER = Setting.of("rate.partner",
            "Requests per second a partner may make across all instances (also its burst; the same on every instance)", "20000", Parsers.positive());
    public static final Setting<Double> RATE_TOKEN = Setting.of("rate.token",
            "Requests per second one access token may make on each instance (also its burst)", "200", Parsers.positive());
    public static final Setting<Duration> TOKEN_TTL = Setting.of("token.ttl", "Access-token lifetime (default: the OAuth server's, 15m)",
            null, Parsers.duration(Duration.ofMinutes(1), Duration.ofDays(1)));
    public static final Setting<String> LOG_ORIGIN = Setting.of("log.origin",
            "The audit log's origin line (its checkpoints' name); never change it for a log that exists", "custos.local/log",
            Settings::origin);
    public static final Setting<Path> LOG_KEY = Setting.of("log.key",
            "The log's signing key file: a PKCS#8 Ed25519 private key, PEM or DER (custos log key generate); default on the embedded store: data/keys/log-signing-key.pem",
            null, text -> Path.of(Parsers.text().apply(text)));
    public static final Setting<Path> KEYS_MASTER = Setting.of("keys.master",
            "The master key file that wraps every person's key: AES-256 (custos keys master generate); default on the embedded store: data/keys/master.key",
            null, text -> Path.of(Parsers.text().apply(text)));
    public static final Setting<List<custos.server.witness.WitnessPeer>> LOG_WITNESSES = Setting.of("log.witnesses",
            "Witnesses that cosign the log's checkpoints (c2sp.org/tlog-witness): comma-separated \"URL VKEY\" pairs; empty: none",
            "", custos.server.witness.WitnessPeer::parseList);
    public static final Setting<Duration> HEADER_TIMEOUT = Setting.of("limits.header-timeout",
            "Time a client has to send a request's headers", "10s", Parsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    public static final Setting<Duration> BODY_TIMEOUT = Setting.of("limits.body-timeout",
            "Time a client has to send a request's whole body after its headers", "20s",
            Parsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)));
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.of("limits.idle-timeout",
            "An idle keep-alive connection is closed after this", "30s", Parsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)));
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.of("limits.max-connections",
            "Open connections at most (kept under the process's file limit)", "10000", Parsers.integer(16, 1_000_000));
    public static final Setting<Path> TLS_CERT = Setting.of("tls.cert",
            "PEM certificate chain (leaf first) for direct TLS; with tls.key, the gateway speaks only https", null, Parsers.file());
    public static final Setting<Path> TLS_KEY = Setting.of("tls.key",
            "PEM private key of tls.cert (PKCS#8, or RSA/EC PRIVATE KEY; unencrypted)", null, Parsers.file());
    public static final Setting<TrustedProxies> PROXY_TRUSTED = Setting.of("proxy.trusted",
            "Proxies (comma-separated addresses or CIDR ranges) whose X-Forwarded-For or Forwarded names the client; empty: none",
            "", TrustedProxies::parse);

    /** Every setting, in the order the documentation lists them. */
    public static final List<Setting<?>> ALL = List.of(PORT, HOST, PUBLIC_URL, DATA, DB_URL, DB_USER, DB_PASSWORD, DB_POOL,
            RATE_PARTNER, RATE_TOKEN, TOKEN_TTL, LOG_ORIGIN, LOG_WITNESSES, LOG_KEY, KEYS_MASTER, HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT,
            MAX_CONNECTIONS, TLS_CERT, TLS_KEY, PROXY_TRUSTED);

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> sources;
    private final ServerTls tls;

    private Settings(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources, ServerTls tls) {
        this.values = values;
        this.sources = sources;
        this.tls = tls;
    }

    /** The listener's TLS identity read from tls.cert and tls.key, or empty for plain HTTP. */
    public Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** The value, or null for a setting with no default that nobody set. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** Where the value came from: "flag", "env CUSTOS_X", "file F" or "default". */
    public String source(Setting<?> setting) {
        return sources.get(setting);
    }

    /** Loads from flags (by key), the environment and the file (null: none), checking everything. */
    public static Settings load(Map<String, String> flags, Map<String, String> env, Path file) {
        List<String> problems = new ArrayList<>();
        Map<String, String> fromFile = file == null ? Map.of() : readFile(file, problems);
        TreeSet<String> known = new TreeSet<>();
        ALL.forEach(s -> known.add(s.key()));
        for (String key : new TreeSet<>(fromFile.keySet())) {
            if (!known.contains(key)) problems.add(key + " (file " + file + "): no such setting; the settings are " + String.join(", ", known));
        }
        for (String key : new TreeSet<>(flags.keySet())) {
            if (!known.contains(key)) problems.add(key + " (flag): no such setting; the settings are " + String.join(", ", known));
        }
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, String> sources = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            String text;
            String source;
            if (flags.get(s.key()) != null) {
                text = flags.get(s.key());
                source = "flag";
            } else if (env.get(s.env()) != null && !env.get(s.env()).isBlank()) {
                text = env.get(s.env());
                source = "env " + s.env();
            } else if (fromFile.get(s.key()) != null) {
                text = fromFile.get(s.key());
                source = "file " + file;
            } else {
                text = s.defaultText();
                source = "default";
            }
            sources.put(s, source);
            if (text == null) {
                values.put(s, null);
                continue;
            }
            try {
                values.put(s, s.parser().apply(text.strip()));
            } catch (IllegalArgumentException e) {
                problems.add(s.key() + " (" + source + "): " + e.getMessage());
            }
        }
        ServerTls tls = problems.isEmpty() ? tls(values, sources, problems) : null;
        if (!problems.isEmpty()) throw new InvalidSettings(problems);
        return new Settings(values, sources, tls);
    }

    /** Both TLS files or neither, and a pair that reads and belongs together. */
    private static ServerTls tls(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources, List<String> problems) {
        Path cert = (Path) values.get(TLS_CERT);
        Path key = (Path) values.get(TLS_KEY);
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            Setting<?> given = cert == null ? TLS_KEY : TLS_CERT;
            Setting<?> missing = cert == null ? TLS_CERT : TLS_KEY;
            problems.add(given.key() + " (" + sources.get(given) + "): direct TLS needs " + missing.key()
                    + " too (set both, or neither for plain HTTP)");
            return null;
        }
        try {
            return ServerTls.read(cert, key);
        } catch (IllegalArgumentException e) {
            problems.add("tls.cert, tls.key (" + sources.get(TLS_CERT) + ", " + sources.get(TLS_KEY) + "): " + e.getMessage());
            return null;
        }
    }

    /** The effective configuration, one line per setting with its source; secrets shown as set or not. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Setting<?> s : ALL) {
            Object v = values.get(s);
            String shown = v == null ? "(unset)" : s.secret() ? "(set)" : String.valueOf(v);
            lines.add(s.key() + " = " + shown + "    # " + sources.get(s));
        }
        return lines;
    }

    private static Map<String, String> readFile(Path file, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add("--config: no configuration file " + file);
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("--config: cannot read " + file + ": " + e.getMessage());
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    private static String jdbcUrl(String text) {
        if (!text.startsWith("jdbc:postgresql://") || org.postgresql.Driver.parseURL(text, null) == null) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database)");
        }
        return text;
    }

    private static String origin(String text) {
        if (text.isEmpty() || text.chars().anyMatch(c -> c <= 0x20 || c == '+')) {
            throw new IllegalArgumentException("a log origin is one word without spaces or '+', e.g. custos.example.com/log");
        }
        return text;
    }
}
