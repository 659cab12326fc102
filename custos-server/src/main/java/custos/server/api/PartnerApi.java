package custos.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import custos.policy.DataCategory;
import custos.policy.DecisionEngine;
import custos.policy.Operation;
import custos.policy.Scope;
import custos.server.http.Json;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import custos.server.http.WebFeature;
import custos.server.oauth.AccessGrant;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partner data endpoints under {@code /v1/people/{id}}. Each one names its scope, passes the {@link Gate},
 * reads only after an ALLOW, cuts every record to the decision's fields, and has its audit entry durable before
 * it sends. {@code {id}} is the token's person or one of their friends.
 */
public final class PartnerApi implements WebFeature {
    private static final Scope PROFILE = Scope.of(DataCategory.PROFILE, Operation.READ);
    private static final Scope PROFILE_CONTACT = Scope.of(DataCategory.PROFILE_CONTACT, Operation.READ);
    private static final Scope FRIENDS = Scope.of(DataCategory.FRIENDS, Operation.READ);
    private static final Scope MESSAGES_READ = Scope.of(DataCategory.MESSAGES, Operation.READ);
    private static final Scope MESSAGES_WRITE = Scope.of(DataCategory.MESSAGES, Operation.WRITE);
    private static final Scope MESSAGES_DELETE = Scope.of(DataCategory.MESSAGES, Operation.DELETE);
    private static final Scope CONTACTS = Scope.of(DataCategory.CONTACTS, Operation.READ);
    private static final Scope CALENDAR = Scope.of(DataCategory.CALENDAR, Operation.READ);

    private final Gate gate;
    private final PersonData data;
    private final DecisionEngine engine;
    private final Clock clock;
    private final RequestsInFlight inFlight;

    public PartnerApi(Gate gate, PersonData data, DecisionEngine engine, Clock clock, RequestsInFlight inFlight) {
        this.gate = gate;
        this.data = data;
        this.engine = engine;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/v1/people/{id}/profile", inFlight.counted(this::profile))
                .get("/v1/people/{id}/friends", inFlight.counted(this::friends))
                .get("/v1/people/{id}/threads", inFlight.counted(this::threads))
                .get("/v1/people/{id}/threads/{threadId}/messages", inFlight.counted(this::messages))
                .post("/v1/people/{id}/messages", inFlight.counted(this::send))
                .delete("/v1/people/{id}/messages/{messageId}", inFlight.counted(this::delete))
                .get("/v1/people/{id}/contacts", inFlight.counted(this::contacts))
                .get("/v1/people/{id}/calendar/events", inFlight.counted(this::events));
    }

    private void profile(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        Gate.Allowed basic = gate.admit(req, res, id, PROFILE);
        Map<String, Object> person = data.profile(id).orElseThrow(PartnerApi::gone);
        Set<String> fields = new LinkedHashSet<>(basic.decision().fields());
        if (basic.grant().scopes().contains(PROFILE_CONTACT)) {
            // Contact details are a scope of their own; they come along only if that decision allows them too.
            try {
                Gate.Allowed contact = gate.admit(req, res, id, PROFILE_CONTACT);
                fields.addAll(contact.decision().fields());
                gate.release(res, contact, 1, List.of());
            } catch (ProblemException denied) {
                // Logged by the gate; the basic profile is still allowed and is sent without contact fields.
            }
        }
        Map<String, Object> body = FieldCut.keep(person, fields);
        gate.release(res, basic, 1, List.of());
        json(res, Status.OK_200, body);
    }

    private void friends(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        PageRequest page = PageRequest.parse(query(req, "cursor"), query(req, "limit"));
        Gate.Allowed allowed = gate.admit(req, res, id, FRIENDS);
        // Friend by friend: only those whose own settings let their friends' partners see them.
        long after = page.cursor().afterId();
        long actor = allowed.request().actor();
        List<Long> ids = new ArrayList<>();
        for (long friend : engine.filterFriendsOf(allowed.request(), id)) {
            if (friend > after && friend != actor) {
                ids.add(friend);
                if (ids.size() == page.limit()) {
                    break;
                }
            }
        }
        List<Map<String, Object>> items = data.profiles(ids).stream()
                .map(p -> FieldCut.keep(p, allowed.decision().fields())).toList();
        gate.release(res, allowed, items.size(), ids);
        json(res, Status.OK_200, new Page(items, PersonData.next(items, page.limit())));
    }

    private void threads(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        PageRequest page = PageRequest.parse(query(req, "cursor"), query(req, "limit"));
        Gate.Allowed allowed = gate.admit(req, res, id, MESSAGES_READ);
        List<Map<String, Object>> threads = data.threads(id, page.cursor().afterId(), page.limit());
        List<Long> others = new ArrayList<>();
        for (Map<String, Object> t : threads) {
            for (Object p : (List<?>) t.get("participants")) {
                long person = ((Number) p).longValue();
                if (person != id && !others.contains(person)) {
                    others.add(person);
                }
            }
        }
        gate.release(res, allowed, threads.size(), others);
        json(res, Status.OK_200, new Page(threads, PersonData.next(threads, page.limit())));
    }

    private void messages(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        long threadId = pathId(req, "threadId");
        PageRequest page = PageRequest.parse(query(req, "cursor"), query(req, "limit"));
        Gate.Allowed allowed = gate.admit(req, res, id, MESSAGES_READ);
        List<Long> participants = data.participants(threadId);
        if (!participants.contains(id)) {
            throw gone();
        }
        List<Map<String, Object>> items = data.messages(threadId, page.cursor().afterId(), page.limit()).stream()
                .map(m -> FieldCut.keep(m, allowed.decision().fields())).toList();
        gate.release(res, allowed, items.size(), participants.stream().filter(p -> p != id).toList());
        json(res, Status.OK_200, new Page(items, PersonData.next(items, page.limit())));
    }

    private void send(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        AccessGrant grant = gate.authenticate(req);
        JsonNode body = body(req);
        String text = body.path("body").asText("");
        if (text.isBlank() || text.length() > 4000) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "body must be 1 to 4000 characters");
        }
        boolean toFriend = body.hasNonNull("to");
        if (toFriend == body.hasNonNull("threadId")) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "give exactly one of threadId and to");
        }
        Gate.Allowed allowed = gate.admit(res, grant, id, MESSAGES_WRITE);
        long threadId;
        List<Long> others;
        if (toFriend) {
            long to = body.get("to").asLong();
            if (!engine.view().areFriends(id, to)) {
                throw gone();
            }
            threadId = data.directThread(id, to, body.path("subject").asText("Message"), clock.instant());
            others = List.of(to);
        } else {
            threadId = body.get("threadId").asLong();
            List<Long> participants = data.participants(threadId);
            if (!participants.contains(id)) {
                throw gone();
            }
            others = participants.stream().filter(p -> p != id).toList();
        }
        gate.release(res, allowed, 1, others);
        Map<String, Object> sent = data.sendMessage(threadId, id, text, clock.instant());
        json(res, Status.CREATED_201, FieldCut.keep(sent, allowed.decision().fields()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        long messageId = pathId(req, "messageId");
        Gate.Allowed allowed = gate.admit(req, res, id, MESSAGES_DELETE);
        long[] owner = data.messageOwner(messageId).orElseThrow(PartnerApi::gone);
        if (owner[1] != id) {
            throw gone(); // only the person's own messages, never what others sent them
        }
        gate.release(res, allowed, 1, List.of());
        data.deleteMessage(messageId);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void contacts(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        PageRequest page = PageRequest.parse(query(req, "cursor"), query(req, "limit"));
        Gate.Allowed allowed = gate.admit(req, res, id, CONTACTS);
        List<Map<String, Object>> items = data.contacts(id, page.cursor().afterId(), page.limit()).stream()
                .map(c -> FieldCut.keep(c, allowed.decision().fields())).toList();
        gate.release(res, allowed, items.size(), List.of());
        json(res, Status.OK_200, new Page(items, PersonData.next(items, page.limit())));
    }

    private void events(ServerRequest req, ServerResponse res) {
        long id = pathId(req, "id");
        PageRequest page = PageRequest.parse(query(req, "cursor"), query(req, "limit"));
        Gate.Allowed allowed = gate.admit(req, res, id, CALENDAR);
        List<Map<String, Object>> items = data.events(id, page.cursor().afterId(), page.limit()).stream()
                .map(e -> FieldCut.keep(e, allowed.decision().fields())).toList();
        gate.release(res, allowed, items.size(), List.of());
        json(res, Status.OK_200, new Page(items, PersonData.next(items, page.limit())));
    }

    private static long pathId(ServerRequest req, String name) {
        String raw = req.path().pathParameters().get(name);
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must be a positive integer, got: " + raw);
    }

    private static String query(ServerRequest req, String name) {
        return req.query().first(name).orElse(null);
    }

    private static JsonNode body(ServerRequest req) {
        try {
            if (!req.content().hasEntity()) {
                throw new IOException("the request has no body");
            }
            JsonNode node = Json.MAPPER.readTree(req.content().as(byte[].class));
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "the body must be a JSON object: " + e.getMessage());
        }
    }

    private static ProblemException gone() {
        return ProblemException.of(ProblemType.NOT_FOUND, "No such resource for this token");
    }

    static void json(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(body));
    }
}
