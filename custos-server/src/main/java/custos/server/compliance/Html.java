package custos.server.compliance;

import java.util.List;
import java.util.Locale;

/** The pieces of the report pages: escaping, a page shell, and a server-rendered horizontal bar chart in inline SVG. */
final class Html {
    private Html() {}

    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a;max-width:72rem}
                table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}
                td.n{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:bold}
                svg text{font-size:12px;fill:#1a1a1a}
                </style></head><body>
                %s
                </body></html>
                """.formatted(esc(title), body);
    }

    /** One bar per row: {@code parts} values stacked in the given colours, labelled; {@code title} for screen readers. */
    record Bar(String label, long[] parts) {}

    static String bars(String title, List<Bar> rows, String[] colours, String[] legend) {
        long max = Math.max(1, rows.stream().mapToLong(r -> java.util.Arrays.stream(r.parts()).sum()).max().orElse(1));
        int labelW = 170;
        int width = 520;
        int rowH = 18;
        int height = rows.size() * rowH + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<figure><svg role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                esc(title), labelW + width + 80, height, labelW + width + 80, height));
        int y = 0;
        for (Bar r : rows) {
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>", y + 13, esc(r.label())));
            double x = labelW;
            long sum = 0;
            for (int i = 0; i < r.parts().length; i++) {
                double w = (double) r.parts()[i] / max * width;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>",
                        x, y + 2, w, colours[i % colours.length]));
                x += w;
                sum += r.parts()[i];
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%,d</text>", x + 4, y + 13, sum));
            y += rowH;
        }
        int lx = labelW;
        for (int i = 0; i < legend.length; i++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", lx, y + 8, colours[i], lx + 16, y + 18, esc(legend[i])));
            lx += 130;
        }
        svg.append("</svg><figcaption>").append(esc(title)).append("</figcaption></figure>\n");
        return svg.toString();
    }
}
