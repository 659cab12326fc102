package custos.server.pages;

import static org.assertj.core.api.Assertions.assertThat;

import custos.world.WorldSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code /static/local-time.js}: every page loads it, and in a browser whose zone is Tokyo a time the server wrote in
 * UTC reads in Tokyo's time, keeping the UTC words in its title. Without the script the page still says "UTC".
 */
class LocalTimeScriptTest {
    static BrowserWorld world;
    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        world = BrowserWorld.start(new WorldSpec(20, 5));
        browser = world.browser;
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aTimeWrittenInUtcIsShownInTheBrowsersZoneWithTheUtcWordsKeptInItsTitle() {
        browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
        browser.get(world.base() + "/");
        assertThat(browser.findElements(By.cssSelector("script[src='/static/local-time.js']"))).hasSize(1);
        Instant at = Instant.parse("2026-12-01T16:20:00Z");
        // A <time> as time.jte writes it, added to a served page; then the script is loaded once more to see it.
        browser.executeScript("""
                const t = document.createElement('time');
                t.id = 'probe'; t.setAttribute('datetime', arguments[0]); t.textContent = arguments[1];
                document.querySelector('main').appendChild(t);
                const s = document.createElement('script'); s.src = '/static/local-time.js';
                document.head.appendChild(s);""", Times.iso(at), Times.words(at));

        WebElement probe = browser.findElement(By.id("probe"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !probe.getText().contains("UTC"));
        assertThat(probe.getText()).contains("Dec 2, 2026").contains("01:20").contains("GMT+9");
        assertThat(probe.getAttribute("title")).isEqualTo("1 Dec 2026, 16:20 UTC");
        assertThat(probe.getAttribute("datetime")).isEqualTo("2026-12-01T16:20:00Z");
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void theScriptIsServedSameOriginAsJavaScript() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(
                    URI.create(world.base() + "/static/local-time.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            assertThat(res.body()).contains("Intl.DateTimeFormat").contains("time[datetime]");
        }
    }

    @Test
    void withoutTheScriptAServerWrittenTimeSaysUtc() {
        assertThat(Times.words(Instant.parse("2026-12-01T16:20:00Z"))).isEqualTo("1 Dec 2026, 16:20 UTC");
    }
}
