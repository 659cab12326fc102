package custos.server.account;

import custos.server.audit.AccessHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The access history page: the filter form's choices and current values, the rows of this page, the paging links
 * (null when there is no such page; {@code paged} when this is not the newest page), the timeline, and any message
 * about input that was ignored.
 */
public record HistoryView(List<AccessHistory.Partner> partners, List<Choice> categories, Map<String, String> chosen,
                          List<Row> rows, String olderUrl, String newerUrl, boolean filtered, boolean paged, Timeline timeline,
                          List<String> errors) {

    /** An option of a select: its value and its words. */
    public record Choice(String value, String words) {}

    /**
     * One entry. {@code friend} names the friend whose consent the access came through (null when it was about
     * the person directly); {@code readable} is false when the key needed to open it was erased.
     */
    public record Row(long index, Instant at, String partner, boolean allowed, boolean readable, String purpose,
                      String scope, List<String> reasons, String released, String friend, String receiptUrl) {}

    /** The value currently chosen for filter {@code name}, or "". */
    public String chosen(String name) {
        return chosen.getOrDefault(name, "");
    }
}
