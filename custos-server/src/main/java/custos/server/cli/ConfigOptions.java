package custos.server.cli;

import custos.server.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration flags {@code serve} and {@code config} share: the file, any setting by key, the common ones by name. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:CUSTOS_CONFIG}",
            description = "Configuration file (Java properties: key = value; env CUSTOS_CONFIG). Flags and CUSTOS_* variables override it.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting by its key, e.g. --set db.pool=32 (docs/operations.md, Configuration).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--port", description = "HTTP port (setting port; default 8080).")
    String port;

    @Option(names = "--host", description = "Address to listen on (setting host; default 0.0.0.0).")
    String host;

    @Option(names = "--data", description = "Data folder of the embedded store (setting data; default data); unused with db.url.")
    String data;

    @Option(names = "--public-url", description = "The URL partners and browsers reach this gateway by, e.g. https://custos.example.com"
            + " (setting public-url): the OAuth issuer and the base of every URL in its metadata; https makes cookies Secure.")
    String publicUrl;

    /** The settings from these flags, the environment and the file; {@link custos.server.config.InvalidSettings} lists every mistake. */
    Settings load() {
        Map<String, String> flags = new HashMap<>(set);
        if (port != null) flags.put(Settings.PORT.key(), port);
        if (host != null) flags.put(Settings.HOST.key(), host);
        if (data != null) flags.put(Settings.DATA.key(), data);
        if (publicUrl != null && !publicUrl.isBlank()) flags.put(Settings.PUBLIC_URL.key(), publicUrl);
        return Settings.load(flags, System.getenv(), file);
    }
}
