package custos.server.console;

import custos.partner.PartnerKind;
import custos.server.account.SignedIn;
import custos.server.pages.Form;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The partner inventory (sortable, filterable, CSV) and each partner's page, with the operator's forms: register a
 * partner, suspend or reinstate it, add a client or rotate its secret, add or end an agreement, add or retire a
 * purpose. Every form goes to {@link OperatorActions}; an auditor sees the same pages without the forms, and a form
 * posted by an auditor is refused.
 */
final class PartnersSection implements ConsoleSection {
    static final String PATH = "/console/partners";

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String title() {
        return "Partner inventory";
    }

    @Override
    public void register(HttpRouting.Builder routing, ConsoleContext ctx) {
        routing.get(PATH, (req, res) -> list(req, res, ctx))
                .get(PATH + ".csv", (req, res) -> csv(req, res, ctx))
                .post(PATH, (req, res) -> act(req, res, ctx, (actor, form) -> {
                    ctx.actions().registerPartner(actor, form.first("slug"), form.first("name"), form.first("kind"));
                    return form.first("slug");
                }, "registered"))
                .get(PATH + "/{slug}", (req, res) -> ctx.page(req, res).ifPresent(s -> partner(req, res, ctx, s, null, Status.OK_200)))
                .post(PATH + "/{slug}/suspend", (req, res) -> act(req, res, ctx, (actor, form) -> {
                    ctx.actions().suspend(actor, slug(req));
                    return slug(req);
                }, "suspended"))
                .post(PATH + "/{slug}/reinstate", (req, res) -> act(req, res, ctx, (actor, form) -> {
                    ctx.actions().reinstate(actor, slug(req));
                    return slug(req);
                }, "reinstated"))
                .post(PATH + "/{slug}/clients", (req, res) -> secret(req, res, ctx, (actor, form) ->
                        ctx.actions().addClient(actor, slug(req), Arrays.stream(nz(form.first("redirect_uris")).split("\\s+"))
                                .filter(u -> !u.isBlank()).toList())))
                .post(PATH + "/{slug}/clients/{client}/rotate-secret", (req, res) -> secret(req, res, ctx, (actor, form) ->
                        ctx.actions().rotateSecret(actor, req.path().pathParameters().get("client"))))
                .post(PATH + "/{slug}/agreements", (req, res) -> act(req, res, ctx, (actor, form) -> {
                    ctx.actions().addAgreement(actor, slug(req), date(form.first("valid_from")), date(form.first("valid_until")),
                            Duration.ofDays(number(form.first("consent_days"), "consent lifetime")),
                            number(form.first("daily_people"), "daily people volume"));
                    return slug(req);
                }, "agreement-added"))
                .post(PATH + "/{slug}/agreements/{id}/end", (req, res) -> act(req, res, ctx, (actor, form) -> {
                    ctx.actions().endAgreement(actor, id(req), null);
                    return slug(req);
                }, "agreement-ended"))
                .post(PATH + "/{slug}/agreements/{id}/purposes", (req, res) -> act(req, res, ctx, (actor, form) -> {
                    ctx.actions().addPurpose(actor, id(req), form.first("code"), form.first("description"),
                            Arrays.stream(nz(form.first("scopes")).split("[\\s,]+")).filter(s -> !s.isBlank()).toList(),
                            "on".equals(form.first("friends_data")));
                    return slug(req);
                }, "purpose-added"))
                .post(PATH + "/{slug}/purposes/{id}/retire", (req, res) -> act(req, res, ctx, (actor, form) -> {
                    ctx.actions().retirePurpose(actor, id(req), null);
                    return slug(req);
                }, "purpose-retired"));
    }

    private static void list(ServerRequest req, ServerResponse res, ConsoleContext ctx) {
        ctx.page(req, res).ifPresent(signed -> {
            var q = req.query();
            List<Inventory.Row> all = ctx.inventory().rows();
            String sort = q.first("sort").orElse("slug");
            boolean desc = "desc".equals(q.first("dir").orElse("asc"));
            List<Inventory.Row> rows = Inventory.view(all, q.first("q").orElse(""), q.first("kind").orElse(""),
                    q.first("status").orElse(""), sort, desc);
            ctx.pages().send(res, "console/partners.jte", new ConsoleView.Partners(ctx.chrome(signed, PATH),
                    rows, all.size(), q.first("q").orElse(""), q.first("kind").orElse(""), q.first("status").orElse(""), sort, desc,
                    ctx.inventory().countedAt(), Arrays.stream(PartnerKind.values()).map(Enum::name).toList()));
        });
    }

    private static void csv(ServerRequest req, ServerResponse res, ConsoleContext ctx) {
        ctx.page(req, res).ifPresent(signed -> {
            var q = req.query();
            List<Inventory.Row> rows = Inventory.view(ctx.inventory().rows(), q.first("q").orElse(""), q.first("kind").orElse(""),
                    q.first("status").orElse(""), q.first("sort").orElse("slug"), "desc".equals(q.first("dir").orElse("asc")));
            StringBuilder out = new StringBuilder("slug,name,kind,status,registered_at,agreements,agreements_in_force,purposes,"
                    + "scopes_allowed,people_with_live_consent,last_access,entries_allowed,entries_denied\r\n");
            for (Inventory.Row r : rows) {
                long allowed = r.volumes().stream().mapToLong(Inventory.Volume::allowed).sum();
                long denied = r.volumes().stream().mapToLong(Inventory.Volume::denied).sum();
                out.append(String.join(",", List.of(cell(r.slug()), cell(r.name()), r.kind(), r.status(), r.registeredAt().toString(),
                        Integer.toString(r.agreements().size()),
                        Long.toString(r.agreements().stream().filter(Inventory.AgreementRow::inForce).count()),
                        cell(String.join(" ", r.purposes())), cell(String.join(" ", r.scopes())), Long.toString(r.livePeople()),
                        r.lastAccess() == null ? "" : r.lastAccess().toString(), Long.toString(allowed), Long.toString(denied))))
                        .append("\r\n");
            }
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=UTF-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"partners.csv\"");
            res.send(out.toString());
        });
    }

    /** RFC 4180 quoting, and a leading formula character neutralised so a spreadsheet does not run it. */
    static String cell(String value) {
        String v = value.isEmpty() || "=+-@".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static void partner(ServerRequest req, ServerResponse res, ConsoleContext ctx, ConsoleAccess.Signed signed,
                                String error, Status status) {
        String slug = slug(req);
        Optional<Inventory.Row> row = ctx.inventory().rows().stream().filter(r -> r.slug().equals(slug)).findFirst();
        ConsoleView.Chrome chrome = ctx.chrome(signed, PATH);
        if (row.isEmpty()) {
            res.status(Status.NOT_FOUND_404);
            ctx.pages().send(res, "console/forbidden.jte", new ConsoleView.Forbidden(chrome.withError("No partner " + slug + ".")));
            return;
        }
        String done = req.query().first("done").orElse(null);
        if (done != null) {
            chrome = chrome.withNotice(switch (done) {
                case "registered" -> "Registered " + row.get().name() + ". Add an agreement, a purpose and a client next.";
                case "suspended" -> row.get().name() + " is suspended: every gateway instance now refuses its requests.";
                case "reinstated" -> row.get().name() + " is active again.";
                case "agreement-added" -> "Added the agreement.";
                case "agreement-ended" -> "Ended the agreement: every gateway instance now refuses requests under it.";
                case "purpose-added" -> "Added the purpose.";
                case "purpose-retired" -> "Retired the purpose: every gateway instance now refuses requests for it (PURPOSE_RETIRED).";
                default -> "Done.";
            });
        }
        if (error != null) {
            chrome = chrome.withError(error);
        }
        List<String> clients = ctx.inventory().jdbi().withHandle(h -> h.createQuery(
                        "select client_id from partner_clients where partner_id = :p order by client_id")
                .bind("p", row.get().id()).mapTo(String.class).list());
        res.status(status);
        ctx.pages().send(res, "console/partner.jte", new ConsoleView.Partner(chrome, row.get(),
                VolumeChart.svg(row.get().name(), row.get().volumes()), ActionsSection.recent(ctx.inventory().jdbi(), row.get().id(), 50),
                clients));
    }

    /** An action a form asks for. */
    @FunctionalInterface
    private interface Act {
        /** Does it and answers the partner slug to show next. */
        String apply(Staff actor, Form form);
    }

    private static void act(ServerRequest req, ServerResponse res, ConsoleContext ctx, Act act, String done) {
        Form form = Form.of(req);
        Optional<ConsoleAccess.Signed> signed = ctx.operatorForm(req, res, form);
        if (signed.isEmpty()) {
            return;
        }
        try {
            String slug = act.apply(signed.get().staff(), form);
            ctx.inventory().refresh();
            SignedIn.redirect(res, PATH + "/" + URLEncoder.encode(slug, StandardCharsets.UTF_8) + "?done=" + done);
        } catch (ActionRefused refused) {
            refusedPage(req, res, ctx, signed.get(), refused);
        }
    }

    private static void secret(ServerRequest req, ServerResponse res, ConsoleContext ctx,
                               java.util.function.BiFunction<Staff, Form, OperatorActions.Done> act) {
        Form form = Form.of(req);
        Optional<ConsoleAccess.Signed> signed = ctx.operatorForm(req, res, form);
        if (signed.isEmpty()) {
            return;
        }
        try {
            OperatorActions.Done done = act.apply(signed.get().staff(), form);
            ctx.pages().send(res, "console/secret.jte", new ConsoleView.Secret(ctx.chrome(signed.get(), PATH), slug(req),
                    (String) done.result().get("clientId"), (String) done.result().get("clientSecret"), done.logIndex()));
        } catch (ActionRefused refused) {
            refusedPage(req, res, ctx, signed.get(), refused);
        }
    }

    private static void refusedPage(ServerRequest req, ServerResponse res, ConsoleContext ctx, ConsoleAccess.Signed signed,
                                    ActionRefused refused) {
        Status status = switch (refused.why()) {
            case INVALID -> Status.BAD_REQUEST_400;
            case NOT_FOUND -> Status.NOT_FOUND_404;
            case CONFLICT -> Status.CONFLICT_409;
        };
        String slug = req.path().pathParameters().first("slug").asOptional().orElse(null);
        if (slug == null) {
            res.status(status);
            ConsoleView.Chrome chrome = ctx.chrome(signed, PATH).withError("Nothing was changed: " + refused.getMessage() + ".");
            List<Inventory.Row> all = ctx.inventory().rows();
            ctx.pages().send(res, "console/partners.jte", new ConsoleView.Partners(chrome, Inventory.view(all, "", "", "", "slug", false),
                    all.size(), "", "", "", "slug", false, ctx.inventory().countedAt(),
                    Arrays.stream(PartnerKind.values()).map(Enum::name).toList()));
            return;
        }
        partner(req, res, ctx, signed, "Nothing was changed: " + refused.getMessage() + ".", status);
    }

    private static String slug(ServerRequest req) {
        return req.path().pathParameters().get("slug");
    }

    private static long id(ServerRequest req) {
        return number(req.path().pathParameters().get("id"), "id");
    }

    private static long number(String text, String what) {
        try {
            return Long.parseLong(nz(text).strip());
        } catch (NumberFormatException e) {
            throw new ActionRefused(ActionRefused.Why.INVALID, what + " must be a whole number, got: " + text);
        }
    }

    /** A date from a form (YYYY-MM-DD, midnight UTC), or null when left empty. */
    private static Instant date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "a date is written YYYY-MM-DD, got: " + text);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
