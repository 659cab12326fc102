package custos.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, written once by Maven (the project version, into custos/version.properties). */
public final class Version {
    /** For example 0.1.0-SNAPSHOT; "unknown" only if the build's resource is missing. */
    public static final String CURRENT = read();

    private Version() {}

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/custos/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
