package custos.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.api.PartnerApi;
import custos.server.http.Problem;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import custos.server.http.StrictNumbers;
import custos.server.http.WebFeature;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The admin API under {@code /v1/admin}: the operator actions for scripts, and the inventory and the actions log to
 * read. A call carries an operator's or auditor's bearer credential ({@code ./custos operator token}), or the
 * console's session cookie with its CSRF token in {@code X-CSRF-Token}; an auditor reads and gets 403
 * {@code role-forbids} for every action. A refused action is a problem (400 bad-request, 404 not-found, 409 conflict)
 * and changed nothing. Described in the OpenAPI document and docs/api.md.
 */
public final class AdminApi implements WebFeature {
    private final ConsoleAccess access;
    private final OperatorActions actions;
    private final Inventory inventory;

    public AdminApi(ConsoleAccess access, OperatorActions actions, Inventory inventory) {
        this.access = access;
        this.actions = actions;
        this.inventory = inventory;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/v1/admin/partners", (req, res) -> {
            access.api(req, false);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Inventory.Row r : inventory.rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("slug", r.slug());
                m.put("name", r.name());
                m.put("kind", r.kind());
                m.put("status", r.status());
                m.put("registeredAt", r.registeredAt().toString());
                m.put("agreements", r.agreements().stream().map(AdminApi::agreement).toList());
                m.put("scopesAllowed", r.scopes());
                m.put("peopleWithLiveConsent", r.livePeople());
                m.put("lastAccess", r.lastAccess() == null ? null : r.lastAccess().toString());
                m.put("volumes", r.volumes().stream().map(v -> Map.of("month", v.month().toString().substring(0, 7),
                        "category", v.category(), "allowed", v.allowed(), "denied", v.denied())).toList());
                out.add(m);
            }
            PartnerApi.json(res, Status.OK_200, Map.of("partners", out, "countedAt", inventory.countedAt().toString()));
        });
        routing.get("/v1/admin/actions", (req, res) -> {
            access.api(req, false);
            List<Map<String, Object>> out = ActionsSection.recent(inventory.jdbi(), null, 500).stream().map(a -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("logIndex", a.index());
                m.put("at", a.at().toString());
                m.put("actor", a.actor());
                m.put("action", a.action());
                m.put("partner", a.partner());
                m.put("target", a.target());
                m.put("before", tree(a.before()));
                m.put("after", tree(a.after()));
                return m;
            }).toList();
            PartnerApi.json(res, Status.OK_200, Map.of("actions", out));
        });
        routing.post("/v1/admin/partners", act(Status.CREATED_201, (actor, req) -> {
            JsonNode b = PartnerApi.body(req);
            return actions.registerPartner(actor, text(b, "slug", true), text(b, "name", true), text(b, "kind", true));
        }));
        routing.post("/v1/admin/partners/{slug}/suspend", act(Status.OK_200, (actor, req) -> actions.suspend(actor, param(req, "slug"))));
        routing.post("/v1/admin/partners/{slug}/reinstate", act(Status.OK_200, (actor, req) -> actions.reinstate(actor, param(req, "slug"))));
        routing.post("/v1/admin/partners/{slug}/clients", act(Status.CREATED_201, (actor, req) -> {
            JsonNode uris = PartnerApi.body(req).path("redirectUris");
            if (!uris.isArray()) {
                throw ProblemException.of(ProblemType.BAD_REQUEST, "redirectUris must be an array of URLs");
            }
            List<String> list = new ArrayList<>();
            uris.forEach(u -> list.add(u.isTextual() ? u.asText() : u.toString()));
            return actions.addClient(actor, param(req, "slug"), list);
        }));
        routing.post("/v1/admin/clients/{clientId}/rotate-secret", act(Status.OK_200,
                (actor, req) -> actions.rotateSecret(actor, param(req, "clientId"))));
        routing.post("/v1/admin/partners/{slug}/agreements", act(Status.CREATED_201, (actor, req) -> {
            JsonNode b = PartnerApi.body(req);
            return actions.addAgreement(actor, param(req, "slug"), instant(b, "validFrom"), instant(b, "validUntil"),
                    Duration.ofDays(whole(b, "consentLifetimeDays")), whole(b, "dailyPeopleVolume"));
        }));
        routing.post("/v1/admin/agreements/{id}/end", act(Status.OK_200, (actor, req) ->
                actions.endAgreement(actor, id(req), instant(optionalBody(req), "at"))));
        routing.post("/v1/admin/agreements/{id}/purposes", act(Status.CREATED_201, (actor, req) -> {
            JsonNode b = PartnerApi.body(req);
            List<String> scopes = new ArrayList<>();
            if (!b.path("scopes").isArray()) {
                throw ProblemException.of(ProblemType.BAD_REQUEST, "scopes must be an array such as [\"messages:read\"]");
            }
            b.path("scopes").forEach(s -> scopes.add(s.asText()));
            return actions.addPurpose(actor, id(req), text(b, "code", true), text(b, "description", true), scopes,
                    b.path("friendsData").asBoolean(false));
        }));
        routing.post("/v1/admin/purposes/{id}/retire", act(Status.OK_200, (actor, req) ->
                actions.retirePurpose(actor, id(req), instant(optionalBody(req), "at"))));
    }

    /** An action route: an operator only, the refusal as a problem, the logged action as the answer. */
    private Handler act(Status status, BiFunction<Staff, ServerRequest, OperatorActions.Done> action) {
        return (req, res) -> {
            Staff actor = access.api(req, true);
            OperatorActions.Done done;
            try {
                done = action.apply(actor, req);
            } catch (ActionRefused refused) {
                throw new ProblemException(Problem.of(switch (refused.why()) {
                    case INVALID -> ProblemType.BAD_REQUEST;
                    case NOT_FOUND -> ProblemType.NOT_FOUND;
                    case CONFLICT -> ProblemType.CONFLICT;
                }, refused.getMessage()));
            }
            inventory.refresh();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("logIndex", done.logIndex());
            body.put("action", done.action().action());
            body.put("actor", done.action().actor());
            body.put("target", done.action().target());
            body.put("before", done.action().before());
            body.put("after", done.action().after());
            body.putAll(done.result());
            PartnerApi.json(res, status, body);
        };
    }

    private static Map<String, Object> agreement(Inventory.AgreementRow a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("version", a.version());
        m.put("validFrom", a.validFrom().toString());
        m.put("validUntil", a.validUntil() == null ? null : a.validUntil().toString());
        m.put("inForce", a.inForce());
        m.put("purposes", a.purposes().stream().map(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("id", p.id());
            pm.put("code", p.code());
            pm.put("scopes", p.scopes());
            pm.put("friendsData", p.friendsData());
            pm.put("retiredAt", p.retiredAt() == null ? null : p.retiredAt().toString());
            return pm;
        }).toList());
        return m;
    }

    private static JsonNode tree(String json) {
        try {
            return custos.server.http.Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("operator_actions holds JSON the store wrote", e);
        }
    }

    private static JsonNode optionalBody(ServerRequest req) {
        return req.content().hasEntity() ? PartnerApi.body(req) : custos.server.http.Json.MAPPER.createObjectNode();
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    private static long id(ServerRequest req) {
        String raw = param(req, "id");
        return StrictNumbers.positive(raw).orElseThrow(() -> ProblemException.of(ProblemType.BAD_REQUEST,
                "the id in the path must be a positive whole number, got: " + raw));
    }

    private static String text(JsonNode b, String name, boolean required) {
        JsonNode n = b.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw ProblemException.of(ProblemType.BAD_REQUEST, name + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must be a string");
        }
        return n.asText();
    }

    private static long whole(JsonNode b, String name) {
        JsonNode n = b.get(name);
        if (n == null || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must be a whole number");
        }
        return n.asLong();
    }

    private static Instant instant(JsonNode b, String name) {
        String t = text(b, name, false);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must be an ISO-8601 instant like 2026-01-01T00:00:00Z");
        }
    }
}
