package custos.server.pages;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.demo.DemoCast;
import custos.server.demo.DemoTraffic;
import custos.server.oauth.DemoLogin;
import custos.world.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Not a test: {@code bin/screenshots} runs it (it is named so the ordinary suite never does) to write a PNG of every
 * page {@link PageTour} reaches, signed in as the demo person of a demo-sized world after the demo's first partner
 * requests, at desktop and phone width, into the folder the system property {@code custos.screenshots} names.
 */
class PageScreenshots {
    static final int SHOT_WIDTH = 1024;
    static final int SHOT_HEIGHT = 720;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void writeEveryPageAtDesktopAndPhoneWidth() throws Exception {
        String folder = System.getProperty("custos.screenshots");
        assertThat(folder).as("-Dcustos.screenshots=FOLDER names where the screenshots go").isNotBlank();
        Path out = Files.createDirectories(Path.of(folder));
        long seed = 1;
        try (BrowserWorld world = BrowserWorld.start(new WorldSpec(20_000, seed))) {
            DemoCast cast = DemoCast.choose(world.db.jdbi(), seed, Instant.now());
            cast.install(world.app.oauth().passwords());
            new DemoTraffic(world.base(), "http://localhost:8080", seed).run(cast);
            ChromeDriver b = world.browser;
            DemoLogin demo = DemoLogin.forWorld(seed);
            PageTour tour = new PageTour(b, world.base());
            tour.walk(new PageTour.Login(demo.login(), demo.password()), name -> {
                shoot(b, out.resolve(file(name, "desktop")), SHOT_WIDTH, SHOT_HEIGHT, false);
                shoot(b, out.resolve(file(name, "phone")), HeadlessChromium.PHONE_WIDTH, HeadlessChromium.PHONE_HEIGHT, true);
                HeadlessChromium.desktop(b);
            });
            System.out.println("PageScreenshots: wrote " + tour.visited().size() * 2 + " screenshots to " + out
                    + (tour.skipped().isEmpty() ? "" : "; skipped " + tour.skipped()));
        }
    }

    private static void shoot(ChromeDriver browser, Path file, int width, int height, boolean mobile) throws Exception {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", mobile));
        browser.executeScript("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur();");
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }

    /** "account page /account/history" at "phone" becomes account-history-phone.png. */
    static String file(String pageName, String width) {
        String slug = pageName.toLowerCase(Locale.ROOT).replace("account page /account/", "account-")
                .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug + "-" + width + ".png";
    }
}
