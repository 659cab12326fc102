package custos.server.pages;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/** Checks the page a browser shows against axe-core's WCAG 2.0 and 2.1 level A and AA rules. */
public final class Accessibility {
    /** The axe-core tags of WCAG 2.0 and 2.1, levels A and AA. */
    public static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private Accessibility() {}

    /** Fails with one line per offending element (rule, impact, target, what to fix) when the page breaks any rule. */
    public static void assertNoViolations(WebDriver driver, String pageName) {
        Results results = new AxeBuilder().withTags(WCAG_21_AA).analyze(driver);
        if (results.isErrored()) {
            throw new AssertionError("axe-core could not check " + pageName + ": " + results.getErrorMessage());
        }
        String report = report(results.getViolations());
        if (!report.isEmpty()) {
            throw new AssertionError(pageName + " (" + driver.getCurrentUrl() + ") breaks WCAG 2.1 A/AA rules:\n" + report);
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
