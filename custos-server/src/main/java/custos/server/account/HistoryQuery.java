package custos.server.account;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import custos.data.DataCategory;
import custos.policy.Outcome;
import custos.server.audit.AccessHistory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history page's query string, checked: the filters (partner slug, category, allowed/denied, a UTC day range)
 * and the keyset position ({@code before} or {@code after} an entry index). A value that is malformed, overlong,
 * out of range or not in the person's own history is dropped with a message saying so; nothing here fails.
 */
record HistoryQuery(AccessHistory.Filter filter, Long before, Long after, Map<String, String> echo, List<String> errors) {
    static final int MAX_QUERY = 1_000;
    static final int MAX_VALUE = 64;
    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    static final LocalDate LATEST = LocalDate.of(2999, 12, 31);

    static HistoryQuery parse(String rawQuery, List<AccessHistory.Partner> mine) {
        List<String> errors = new ArrayList<>();
        Map<String, List<String>> params = Map.of();
        if (rawQuery != null && rawQuery.length() > MAX_QUERY) {
            errors.add("The address was too long, so its filters were ignored.");
        } else if (rawQuery != null && !rawQuery.isEmpty()) {
            try {
                params = URLUtils.parseParameters(rawQuery);
            } catch (RuntimeException e) {
                errors.add("The address could not be read, so its filters were ignored.");
            }
        }
        Map<String, String> echo = new LinkedHashMap<>();
        Long partner = null;
        String slug = value(params, "partner", "partner", errors);
        if (slug != null) {
            Optional<AccessHistory.Partner> p = mine.stream().filter(x -> x.slug().equals(slug)).findFirst();
            if (p.isPresent()) {
                partner = p.get().id();
                echo.put("partner", slug);
            } else {
                errors.add("That partner does not appear in your history, so the partner filter was ignored.");
            }
        }
        DataCategory category = null;
        String code = value(params, "category", "category", errors);
        if (code != null) {
            try {
                category = DataCategory.fromCode(code);
                echo.put("category", code);
            } catch (IllegalArgumentException e) {
                errors.add("There is no data category by that name, so the category filter was ignored.");
            }
        }
        Outcome outcome = null;
        String answer = value(params, "outcome", "outcome", errors);
        if (answer != null) {
            switch (answer) {
                case "allowed" -> outcome = Outcome.ALLOW;
                case "denied" -> outcome = Outcome.DENY;
                default -> errors.add("The outcome can only be \"allowed\" or \"denied\", so that filter was ignored.");
            }
            if (outcome != null) {
                echo.put("outcome", answer);
            }
        }
        LocalDate from = day(params, "from", "start date", errors);
        LocalDate to = day(params, "to", "end date", errors);
        if (from != null && to != null && from.isAfter(to)) {
            errors.add("The start date is after the end date, so the dates were ignored.");
            from = null;
            to = null;
        }
        if (from != null) {
            echo.put("from", from.toString());
        }
        if (to != null) {
            echo.put("to", to.toString());
        }
        Long before = position(params, "before", errors);
        Long after = position(params, "after", errors);
        if (before != null && after != null) {
            errors.add("A page cannot be both older and newer than an entry, so you see the newest entries.");
            before = null;
            after = null;
        }
        var filter = new AccessHistory.Filter(partner, category, outcome,
                from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        return new HistoryQuery(filter, before, after, Map.copyOf(echo), List.copyOf(errors));
    }

    /** The filters as a query string for the paging links, ending with {@code &} when not empty. */
    String filterQuery() {
        StringBuilder q = new StringBuilder();
        for (String name : List.of("partner", "category", "outcome", "from", "to")) {
            String v = echo.get(name);
            if (v != null) {
                q.append(name).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
            }
        }
        return q.toString();
    }

    boolean filtered() {
        return !echo.isEmpty();
    }

    private static String value(Map<String, List<String>> params, String name, String words, List<String> errors) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return null;
        }
        String v = values.get(0).strip();
        if (v.length() > MAX_VALUE) {
            errors.add("The " + words + " given was too long, so it was ignored.");
            return null;
        }
        return v;
    }

    private static LocalDate day(Map<String, List<String>> params, String name, String words, List<String> errors) {
        String v = value(params, name, words, errors);
        if (v == null) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(v);
            if (d.isBefore(EARLIEST) || d.isAfter(LATEST)) {
                errors.add("The " + words + " must be between " + EARLIEST + " and " + LATEST + ", so it was ignored.");
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add("The " + words + " is not a date like 2026-12-01, so it was ignored.");
            return null;
        }
    }

    private static Long position(Map<String, List<String>> params, String name, List<String> errors) {
        String v = value(params, name, "page position", errors);
        if (v == null) {
            return null;
        }
        if (!v.matches("[0-9]{1,18}")) {
            errors.add("The page position is not an entry number, so you see the newest entries.");
            return null;
        }
        return Long.parseLong(v);
    }
}
