package custos.audit;

/**
 * A C2SP tlog-tiles resource: a hash tile {@code tile/<L>/<N>[.p/<W>]} or an entry bundle
 * {@code tile/entries/<N>[.p/<W>]}, where N is written in 3-digit groups with every non-final group prefixed
 * {@code x} and W (1..255) marks a partial tile.
 */
public record TilePath(boolean entries, int level, long index, int width) {
    public static final int FULL = 256;

    public TilePath {
        if (level < 0 || level > 63 || index < 0 || width < 1 || width > FULL) throw new IllegalArgumentException("bad tile");
        if (entries && level != 0) throw new IllegalArgumentException("entry bundles have no level");
    }

    public static TilePath hashes(int level, long index, int width) {
        return new TilePath(false, level, index, width);
    }

    public static TilePath entries(long index, int width) {
        return new TilePath(true, 0, index, width);
    }

    /** The path below the log's prefix, e.g. {@code tile/1/x001/x234/067.p/8}. */
    public String path() {
        return "tile/" + (entries ? "entries" : Integer.toString(level)) + "/" + encodeIndex(index)
                + (width == FULL ? "" : ".p/" + width);
    }

    static String encodeIndex(long n) {
        String s = String.format("%03d", n % 1000);
        for (n /= 1000; n > 0; n /= 1000) s = String.format("x%03d/", n % 1000) + s;
        return s;
    }

    /** Parses a path as {@link #path()} writes it (a leading {@code /} is ignored); rejects any other spelling. */
    public static TilePath parse(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (!p.startsWith("tile/")) throw new IllegalArgumentException("not a tile path: " + path);
        p = p.substring(5);
        int slash = p.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a tile path: " + path);
        String kind = p.substring(0, slash);
        String rest = p.substring(slash + 1);
        int width = FULL;
        int partial = rest.indexOf(".p/");
        if (partial >= 0) {
            String w = rest.substring(partial + 3);
            if (!w.matches("[1-9][0-9]{0,2}") || Integer.parseInt(w) >= FULL) throw new IllegalArgumentException("bad partial width: " + path);
            width = Integer.parseInt(w);
            rest = rest.substring(0, partial);
        }
        String[] groups = rest.split("/", -1);
        long index = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            boolean last = i == groups.length - 1;
            if (!last) {
                if (!g.startsWith("x")) throw new IllegalArgumentException("non-final index group without x: " + path);
                g = g.substring(1);
            }
            if (!g.matches("[0-9]{3}")) throw new IllegalArgumentException("index group is not 3 digits: " + path);
            index = Math.multiplyExact(index, 1000) + Integer.parseInt(g);
        }
        TilePath parsed;
        if (kind.equals("entries")) {
            parsed = entries(index, width);
        } else if (kind.matches("0|[1-9][0-9]?")) {
            parsed = hashes(Integer.parseInt(kind), index, width);
        } else {
            throw new IllegalArgumentException("bad tile level: " + path);
        }
        if (!parsed.path().equals("tile/" + p)) throw new IllegalArgumentException("non-canonical tile path: " + path);
        return parsed;
    }
}
