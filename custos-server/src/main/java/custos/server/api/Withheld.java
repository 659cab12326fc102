package custos.server.api;

import custos.policy.CoSubjects;
import java.util.List;

/** What a page held back because other people's settings forbid releasing it: how many, and why (never whose). */
public record Withheld(int count, List<String> reasons) {
    public static final Withheld NONE = new Withheld(0, List.of());

    public Withheld {
        reasons = List.copyOf(reasons);
    }

    static Withheld of(CoSubjects cut) {
        return cut.withheldCount() == 0 ? NONE : new Withheld(cut.withheldCount(), cut.withheldReasonCodes());
    }
}
