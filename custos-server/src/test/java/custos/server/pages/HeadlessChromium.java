package custos.server.pages;

import java.io.File;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver (or those {@code CUSTOS_CHROMIUM} and {@code CUSTOS_CHROMEDRIVER} name), headless,
 * at a desktop or a phone's width (CSS pixels, no device frame).
 */
public final class HeadlessChromium {
    static final int DESKTOP_WIDTH = 1280;
    static final int DESKTOP_HEIGHT = 900;
    static final int PHONE_WIDTH = 375;
    static final int PHONE_HEIGHT = 812;

    private HeadlessChromium() {}

    public static ChromeDriver start() {
        return start(DESKTOP_WIDTH, DESKTOP_HEIGHT);
    }

    /** A browser whose window is this many CSS pixels wide and high. */
    public static ChromeDriver start(int width, int height) {
        ChromeOptions options = new ChromeOptions().setBinary(path("CUSTOS_CHROMIUM", "/usr/bin/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
                        "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                        "--window-size=" + width + "," + height);
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(path("CUSTOS_CHROMEDRIVER", "/usr/bin/chromedriver"))).build(), options);
    }

    private static String path(String variable, String debian) {
        String configured = System.getenv(variable);
        return configured == null || configured.isBlank() ? debian : configured;
    }

    /** Lays the page out as a phone of {@link #PHONE_WIDTH} CSS pixels would (mobile viewport, meta viewport honoured). */
    static void phone(ChromeDriver browser) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", PHONE_WIDTH, "height", PHONE_HEIGHT,
                "deviceScaleFactor", 1, "mobile", true));
    }

    /** Back to the desktop window. */
    static void desktop(ChromeDriver browser) {
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
}
