package custos.server.console;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A partner's entries per month as an inline SVG bar chart, drawn on the server (no script): allowed in green, denied
 * in red stacked on it, the last 24 months that have entries. Its text alternative says the same in words, and the
 * page shows the numbers as a table beside it.
 */
final class VolumeChart {
    private static final int MONTHS = 24;
    private static final int WIDTH = 480;
    private static final int HEIGHT = 120;

    private VolumeChart() {}

    static String svg(String partnerName, List<Inventory.Volume> volumes) {
        TreeMap<LocalDate, long[]> months = Inventory.perMonth(volumes);
        while (months.size() > MONTHS) {
            months.pollFirstEntry();
        }
        if (months.isEmpty()) {
            return "";
        }
        long max = months.values().stream().mapToLong(m -> m[0] + m[1]).max().orElse(1);
        double bar = Math.min(40, (double) (WIDTH - 20) / months.size()); // one month is a bar, not a wall
        StringBuilder svg = new StringBuilder();
        long total = months.values().stream().mapToLong(m -> m[0] + m[1]).sum();
        long denied = months.values().stream().mapToLong(m -> m[1]).sum();
        svg.append(String.format(Locale.ROOT, "<svg class=\"volume\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s: %,d entries"
                        + " over %d months from %s to %s, %,d of them denied\">", WIDTH, HEIGHT + 16, escape(partnerName), total,
                months.size(), months.firstKey(), months.lastKey(), denied));
        int i = 0;
        for (Map.Entry<LocalDate, long[]> m : months.entrySet()) {
            double x = 10 + i * bar;
            double hAllow = (double) m.getValue()[0] / max * HEIGHT;
            double hDeny = (double) m.getValue()[1] / max * HEIGHT;
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar-allow\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                    x, HEIGHT - hAllow, Math.max(1, bar - 2), hAllow));
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar-deny\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                    x, HEIGHT - hAllow - hDeny, Math.max(1, bar - 2), hDeny));
            i++;
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"baseline\" x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", HEIGHT, WIDTH - 10, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"10\" y=\"%d\">%s</text>", HEIGHT + 13, months.firstKey().toString().substring(0, 7)));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\">%s</text>",
                Math.max(10 + bar * months.size(), 70), HEIGHT + 13, months.lastKey().toString().substring(0, 7)));
        return svg.append("</svg>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
