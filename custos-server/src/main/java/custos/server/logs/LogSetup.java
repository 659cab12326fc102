package custos.server.logs;

import java.util.Locale;
import java.util.Set;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging (Helidon's and ours) into logback, the one backend, and picks the defaults the command
 * needs before logback reads its configuration: JSON lines and an access log for {@code serve}, plain text and no
 * access log for the interactive commands. Environment variables an operator sets always win.
 */
public final class LogSetup {
    private static final Set<String> FORMATS = Set.of("json", "text");
    private static volatile boolean bridged;

    private LogSetup() {}

    /** Before the first log call of the {@code custos} command whose first argument is {@code command} (may be null). */
    public static void forCommand(String command) {
        boolean serving = "serve".equals(command);
        String format = System.getenv("CUSTOS_LOG_FORMAT");
        if (format != null && !FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("CUSTOS_LOG_FORMAT must be json or text, not '" + format + "'");
        }
        defaultProperty("CUSTOS_LOG_FORMAT", format != null ? format.toLowerCase(Locale.ROOT) : serving ? "json" : "text");
        if (System.getenv("CUSTOS_ACCESS_LOG") == null) {
            defaultProperty("CUSTOS_ACCESS_LOG", serving ? "INFO" : "OFF");
        }
        bridge();
    }

    /** Installs the JUL bridge once; called again by every gateway start, so embedded and test servers log the same way. */
    public static void bridge() {
        if (bridged) return;
        synchronized (LogSetup.class) {
            if (bridged) return;
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
            bridged = true;
        }
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
