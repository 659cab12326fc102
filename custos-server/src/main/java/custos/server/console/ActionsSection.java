package custos.server.console;

import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The console's list of operator actions, newest first: who did what to which partner, before and after, and the entry's log index. */
final class ActionsSection implements ConsoleSection {
    static final String PATH = "/console/actions";

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String title() {
        return "Operator actions";
    }

    @Override
    public void register(HttpRouting.Builder routing, ConsoleContext ctx) {
        routing.get(PATH, (req, res) -> ctx.page(req, res).ifPresent(signed ->
                ctx.pages().send(res, "console/actions.jte", new ConsoleView.Actions(ctx.chrome(signed, PATH),
                        recent(ctx.inventory().jdbi(), null, 500)))));
    }

    /** The newest {@code limit} operator actions, of one partner or all. */
    static List<ConsoleView.Action> recent(Jdbi jdbi, Long partnerId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select o.idx, o.at, o.actor, o.action, coalesce(p.slug, ''), o.target, o.before::text, o.after::text
                        from operator_actions o left join partners p on p.id = o.partner_id
                        where (cast(:p as bigint) is null or o.partner_id = :p) order by o.idx desc limit :n""")
                .bind("p", partnerId).bind("n", limit)
                .map((rs, ctx) -> new ConsoleView.Action(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)))
                .list());
    }
}
