package custos.server.pages;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;

/** Checks the page a browser shows against axe-core's WCAG 2.0 and 2.1 level A and AA rules. */
public final class Accessibility {
    /** The axe-core tags of WCAG 2.0 and 2.1, levels A and AA. */
    public static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    /**
     * axe-core's best-practice rules on page structure that WCAG's tags leave out: landmarks, one main, headings in
     * order starting with one h1, a working skip link.
     */
    public static final List<String> STRUCTURE = List.of("region", "landmark-one-main", "landmark-unique",
            "landmark-no-duplicate-banner", "landmark-no-duplicate-main", "landmark-banner-is-top-level",
            "landmark-main-is-top-level", "heading-order", "page-has-heading-one", "skip-link", "empty-heading");

    private Accessibility() {}

    /** Fails with one line per offending element (rule, impact, target, what to fix) when the page breaks any rule. */
    public static void assertNoViolations(WebDriver driver, String pageName) {
        check(driver, pageName, axe().withTags(WCAG_21_AA), "WCAG 2.1 A/AA rules");
    }

    /** Fails when the page breaks one of the {@link #STRUCTURE} rules. */
    public static void assertSoundStructure(WebDriver driver, String pageName) {
        check(driver, pageName, axe().withOnlyRules(STRUCTURE), "structure rules (landmarks, headings, skip link)");
    }

    /**
     * Walks the page with the Tab key: the first stop is the skip link, and every element that takes the focus shows
     * a focus ring (an outline), so a keyboard user always sees where they are.
     */
    public static void assertVisibleFocus(WebDriver driver, String pageName) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0);");
        StringBuilder problems = new StringBuilder();
        for (int stop = 0; stop < 30; stop++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            List<?> seen = (List<?>) js.executeScript("""
                    const e = document.activeElement;
                    if (!e || e === document.body) return null;
                    const s = getComputedStyle(e);
                    const label = e.tagName.toLowerCase() + (e.name ? '[name=' + e.name + ']' : '')
                        + ' "' + (e.textContent || e.value || '').trim().slice(0, 30) + '"';
                    const r = e.getBoundingClientRect();
                    return [label, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                        e.classList.contains('skip-link') && r.left >= 0 && r.top >= 0 && r.width > 0];""");
            if (seen == null) {
                break;
            }
            if (stop == 0 && !Boolean.TRUE.equals(seen.get(2))) {
                problems.append("  - the first Tab stop is ").append(seen.get(0)).append(", not a visible skip link\n");
            }
            if (!Boolean.TRUE.equals(seen.get(1))) {
                problems.append("  - ").append(seen.get(0)).append(" shows no focus ring when focused\n");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(pageName + " (" + driver.getCurrentUrl() + ") fails keyboard use:\n" + problems);
        }
    }

    /**
     * axe-core's own script timeout is 30 s; on a machine shared with other builds one run over a long page took longer
     * (CI, load average 20). Two minutes still ends a hung page, and the test's own timeout bounds the whole tour.
     */
    private static AxeBuilder axe() {
        return new AxeBuilder().setTimeout(120);
    }

    private static void check(WebDriver driver, String pageName, AxeBuilder axe, String what) {
        Results results = axe.analyze(driver);
        if (results.isErrored()) {
            throw new AssertionError("axe-core could not check " + pageName + ": " + results.getErrorMessage());
        }
        String report = report(results.getViolations());
        if (!report.isEmpty()) {
            throw new AssertionError(pageName + " (" + driver.getCurrentUrl() + ") breaks " + what + ":\n" + report);
        }
    }

    /** Fails when the page is wider than the window, i.e. a person has to scroll sideways to read it. */
    public static void assertNoHorizontalScrolling(WebDriver driver, String pageName) {
        Object widths = ((JavascriptExecutor) driver).executeScript(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
        List<?> w = (List<?>) widths;
        long content = ((Number) w.get(0)).longValue();
        long window = ((Number) w.get(1)).longValue();
        if (content > window) {
            throw new AssertionError(pageName + " (" + driver.getCurrentUrl() + ") is " + content + " px wide in a "
                    + window + " px window: it scrolls sideways");
        }
    }

    static String report(List<Rule> violations) {
        StringBuilder out = new StringBuilder();
        for (Rule rule : violations) {
            for (CheckedNode node : rule.getNodes()) {
                out.append("  - ").append(rule.getId()).append(" [").append(rule.getImpact()).append("] at ")
                        .append(node.getTarget()).append(": ").append(rule.getHelp()).append('\n')
                        .append("      ").append(oneLine(node.getFailureSummary())).append('\n');
            }
        }
        return out.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
