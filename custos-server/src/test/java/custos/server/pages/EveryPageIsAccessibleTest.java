package custos.server.pages;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.oauth.DemoLogin;
import custos.world.WorldSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules (and its rules on landmarks, headings and the skip link), and keyboard use
 * with a visible focus, on every page a person can reach (found by {@link PageTour}, so pages added
 * to the account navigation are checked as soon as they exist), at desktop width and at a phone's 375 px, where no
 * page may scroll sideways.
 */
class EveryPageIsAccessibleTest {
    static final long SEED = 3;
    static BrowserWorld world;
    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        world = BrowserWorld.start(new WorldSpec(60, SEED));
        DemoLogin.forWorld(SEED).install(world.app.oauth().passwords());
        browser = world.browser;
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void everyPageBreaksNoWcag21AaRuleAtDesktopAndPhoneWidthShowsWhereTheFocusIsAndNeverScrollsSideways() throws Exception {
        DemoLogin demo = DemoLogin.forWorld(SEED);
        PageTour tour = new PageTour(browser, world.base());
        List<String> failures = new ArrayList<>();
        tour.walk(new PageTour.Login(demo.login(), demo.password()), name -> {
            HeadlessChromium.desktop(browser);
            collect(failures, () -> Accessibility.assertNoViolations(browser, name + " at desktop width"));
            collect(failures, () -> Accessibility.assertSoundStructure(browser, name));
            collect(failures, () -> Accessibility.assertVisibleFocus(browser, name));
            HeadlessChromium.phone(browser);
            collect(failures, () -> Accessibility.assertNoViolations(browser, name + " at 375 px"));
            collect(failures, () -> Accessibility.assertNoHorizontalScrolling(browser, name + " at 375 px"));
            HeadlessChromium.desktop(browser);
        });

        assertThat(tour.visited()).contains("home", "sign-in", "partner login form", "consent screen",
                "OAuth error page", "partner callback with a code", "problem page (404 not found)", "account overview");
        assertThat(failures).as("pages visited: %s; skipped: %s", tour.visited(), tour.skipped()).isEmpty();
    }

    private static void collect(List<String> failures, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            failures.add(e.getMessage());
        }
    }
}
