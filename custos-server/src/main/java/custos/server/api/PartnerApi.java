package custos.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import custos.data.DataCategory;
import custos.policy.CoSubjects;
import custos.policy.DecisionEngine;
import custos.data.Operation;
import custos.policy.Reason;
import custos.data.Scope;
import custos.server.http.Json;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import custos.server.http.StrictNumbers;
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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partner data endpoints under {@code /v1/people/{id}}. Each one names its scope, validates the whole request,
 * passes the {@link Gate}, reads only after an ALLOW, has the engine decide the other people on the page (authors,
 * participants, recipients), cuts every record to the decision's fields, and has its audit entry durable before it
 * sends. Every answer after authentication, refusals included, has its entry and its receipt. {@code {id}} is the
 * token's person or one of their friends.
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

    /** An admitted request: the engine's allowed access, the person the path names, and the validated input. */
    private record Admitted<T>(Gate.Allowed allowed, long id, T input) {}

    /** Reads the rest of a request (query, further path ids, body); throws a bad-request problem when malformed. */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(ServerRequest req);
    }

    /**
     * Authenticates, validates the whole request, then decides. Validation comes before the decision so that no
     * entry says ALLOW for a request that then fails on its input: a malformed one is logged as a DENY with
     * {@code INVALID_REQUEST} and answered 400 with its receipt.
     */
    private <T> Admitted<T> admit(ServerRequest req, ServerResponse res, Scope scope, Parser<T> parser) {
        gate.requireFreshPolicy();
        AccessGrant grant = gate.authenticate(req);
        // Until the path is read, the entry of a malformed request is about the token's own person.
        long id = grant.personal() ? grant.personId() : 0;
        T input;
        try {
            id = pathId(req, "id");
            input = parser.parse(req);
        } catch (ProblemException e) {
            if (e.problem().type() != ProblemType.BAD_REQUEST) {
                throw e;
            }
            throw gate.invalid(res, grant, id, scope, e.problem().detail());
        }
        return new Admitted<>(gate.admit(res, grant, id, scope), id, input);
    }

    private static PageRequest page(ServerRequest req) {
        return PageRequest.parse(query(req, "cursor"), query(req, "limit"));
    }

    private void profile(ServerRequest req, ServerResponse res) {
        Admitted<Void> a = admit(req, res, PROFILE, r -> null);
        long id = a.id();
        Gate.Allowed basic = a.allowed();
        Map<String, Object> person = data.profile(id)
                .orElseThrow(() -> gate.notThere(res, basic, EnumSet.of(Reason.NO_SUCH_RESOURCE)));
        Set<String> fields = new LinkedHashSet<>(basic.decision().fields());
        if (basic.grant().scopes().contains(PROFILE_CONTACT)) {
            // Contact details are a scope of their own; they come along only if that decision allows them too.
            try {
                Gate.Allowed contact = gate.admit(res, basic.grant(), id, PROFILE_CONTACT);
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
        Admitted<PageRequest> a = admit(req, res, FRIENDS, PartnerApi::page);
        long id = a.id();
        PageRequest page = a.input();
        Gate.Allowed allowed = a.allowed();
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

    /**
     * A thread's participants are their own data: each one is kept only if the engine releases them (one call for
     * the whole page), and the subject only if every participant is, since people write subjects about each other.
     */
    private void threads(ServerRequest req, ServerResponse res) {
        Admitted<PageRequest> a = admit(req, res, MESSAGES_READ, PartnerApi::page);
        long id = a.id();
        PageRequest page = a.input();
        Gate.Allowed allowed = a.allowed();
        List<Map<String, Object>> threads = data.threads(id, page.cursor().afterId(), page.limit());
        int n = 0;
        for (Map<String, Object> t : threads) {
            n += ((List<?>) t.get("participants")).size();
        }
        long[] people = new long[n];
        int k = 0;
        for (Map<String, Object> t : threads) {
            for (Object p : (List<?>) t.get("participants")) {
                people[k++] = ((Number) p).longValue();
            }
        }
        CoSubjects cut = engine.coSubjects(allowed.request(), people);
        Set<Long> released = new LinkedHashSet<>();
        List<Map<String, Object>> items = new ArrayList<>(threads.size());
        k = 0;
        for (Map<String, Object> t : threads) {
            List<Long> kept = new ArrayList<>();
            EnumSet<Reason> why = EnumSet.noneOf(Reason.class);
            int withheld = 0;
            for (Object p : (List<?>) t.get("participants")) {
                long person = ((Number) p).longValue();
                if (cut.released(k)) {
                    kept.add(person);
                    if (person != id) {
                        released.add(person);
                    }
                } else {
                    withheld++;
                    why.addAll(cut.reasons(k));
                }
                k++;
            }
            Map<String, Object> item = new LinkedHashMap<>(t);
            item.put("participants", kept);
            if (withheld > 0) {
                item.remove("subject");
                item.put("withheld", new Withheld(withheld, why.stream().map(Enum::name).toList()));
            }
            items.add(item);
        }
        gate.release(res, allowed, items.size(), List.copyOf(released));
        json(res, Status.OK_200, new Page(items, PersonData.next(threads, page.limit())));
    }

    private record ThreadPage(long threadId, PageRequest page) {}

    /**
     * A message is its author's data: one written by someone else is released only if the engine releases its
     * author (one call for the page); the rest are counted, with their reasons, never shown.
     */
    private void messages(ServerRequest req, ServerResponse res) {
        Admitted<ThreadPage> a = admit(req, res, MESSAGES_READ, r -> new ThreadPage(pathId(r, "threadId"), page(r)));
        long id = a.id();
        long threadId = a.input().threadId();
        PageRequest page = a.input().page();
        Gate.Allowed allowed = a.allowed();
        if (!data.participants(threadId).contains(id)) {
            throw gate.notThere(res, allowed, EnumSet.of(Reason.NO_SUCH_RESOURCE));
        }
        List<Map<String, Object>> rows = data.messages(threadId, page.cursor().afterId(), page.limit());
        long[] authors = new long[rows.size()];
        for (int i = 0; i < authors.length; i++) {
            authors[i] = ((Number) rows.get(i).get("senderId")).longValue();
        }
        CoSubjects cut = engine.coSubjects(allowed.request(), authors);
        List<Map<String, Object>> items = new ArrayList<>(rows.size() - cut.withheldCount());
        Set<Long> released = new LinkedHashSet<>();
        for (int i = 0; i < authors.length; i++) {
            if (cut.released(i)) {
                items.add(FieldCut.keep(rows.get(i), allowed.decision().fields()));
                if (authors[i] != id) {
                    released.add(authors[i]);
                }
            }
        }
        gate.release(res, allowed, items.size(), List.copyOf(released));
        // The cursor follows the rows read, withheld ones included, so the next page starts after them.
        json(res, Status.OK_200, new Page(items, PersonData.next(rows, page.limit()), Withheld.of(cut)));
    }

    /** A message to write: its text, and exactly one of a friend to write to and a thread of the person's. */
    private record Outgoing(String text, Long to, Long threadId, String subject) {}

    private static Outgoing outgoing(ServerRequest req) {
        JsonNode body = body(req);
        String text = text(body, "body", 4000);
        if (text == null) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "body must be 1 to 4000 characters");
        }
        String subject = text(body, "subject", 200);
        Long to = bodyId(body, "to");
        Long threadId = bodyId(body, "threadId");
        if ((to == null) == (threadId == null)) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "give exactly one of threadId and to");
        }
        return new Outgoing(text, to, threadId, subject == null ? "Message" : subject);
    }

    /** The string member {@code name}, or null when absent; the store keeps text, so NUL is refused here. */
    private static String text(JsonNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must be a string");
        }
        String s = n.textValue();
        if (s.isBlank() || s.length() > max) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must be 1 to " + max + " characters");
        }
        if (s.indexOf('\u0000') >= 0) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must not contain NUL (U+0000)");
        }
        return s;
    }

    private static Long bodyId(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() <= 0) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " must be a positive integer");
        }
        return n.longValue();
    }

    /**
     * Writing puts data into other people's inboxes: every recipient's settings must let their friends' partners
     * reach messages (decided by the engine for all of them at once). A recipient given as {@code to} who is not a
     * friend, or whose settings forbid it and also hide them from friend lists, is answered like one that does not
     * exist (so writing is no friendship oracle); a listed friend who forbids it, or a thread whose participants
     * forbid it, is a 403 naming {@code FRIEND_SETTINGS_FORBID}. Either way the entry is a DENY with the true reason.
     */
    private void send(ServerRequest req, ServerResponse res) {
        Admitted<Outgoing> a = admit(req, res, MESSAGES_WRITE, PartnerApi::outgoing);
        long id = a.id();
        Outgoing out = a.input();
        Gate.Allowed allowed = a.allowed();
        long threadId;
        List<Long> others;
        if (out.to() != null) {
            long to = out.to();
            if (to == id || !engine.view().areFriends(id, to)) {
                throw gate.notThere(res, allowed, EnumSet.of(Reason.NOT_FRIENDS));
            }
            CoSubjects cut = engine.coSubjects(allowed.request(), new long[] {to});
            if (cut.withheldCount() > 0) {
                // A friend who shows in friend lists is no secret, so saying why (403) reveals nothing; a friend whose
                // settings hide them there too must look like a stranger (404), or posting to ids would find them.
                boolean listed = engine.filterFriends(allowed.request().withScope(FRIENDS), new long[] {to}).length == 1;
                throw listed ? gate.refuse(res, allowed, cut.withheldReasons())
                        : gate.notThere(res, allowed, cut.withheldReasons());
            }
            threadId = data.directThread(id, to, out.subject(), clock.instant());
            others = List.of(to);
        } else {
            threadId = out.threadId();
            List<Long> participants = data.participants(threadId);
            if (!participants.contains(id)) {
                throw gate.notThere(res, allowed, EnumSet.of(Reason.NO_SUCH_RESOURCE));
            }
            others = participants.stream().filter(p -> p != id).toList();
            CoSubjects cut = engine.coSubjects(allowed.request(), others.stream().mapToLong(Long::longValue).toArray());
            if (cut.withheldCount() > 0) {
                throw gate.refuse(res, allowed, cut.withheldReasons());
            }
        }
        gate.release(res, allowed, 1, others);
        Map<String, Object> sent = data.sendMessage(threadId, id, out.text(), clock.instant());
        json(res, Status.CREATED_201, FieldCut.keep(sent, allowed.decision().fields()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Admitted<Long> a = admit(req, res, MESSAGES_DELETE, r -> pathId(r, "messageId"));
        long id = a.id();
        long messageId = a.input();
        Gate.Allowed allowed = a.allowed();
        long[] owner = data.messageOwner(messageId)
                .orElseThrow(() -> gate.notThere(res, allowed, EnumSet.of(Reason.NO_SUCH_RESOURCE)));
        if (owner[1] != id) {
            // only the person's own messages, never what others sent them
            throw gate.notThere(res, allowed, EnumSet.of(Reason.NO_SUCH_RESOURCE));
        }
        gate.release(res, allowed, 1, List.of());
        data.deleteMessage(messageId);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void contacts(ServerRequest req, ServerResponse res) {
        Admitted<PageRequest> a = admit(req, res, CONTACTS, PartnerApi::page);
        Gate.Allowed allowed = a.allowed();
        PageRequest page = a.input();
        List<Map<String, Object>> items = data.contacts(a.id(), page.cursor().afterId(), page.limit()).stream()
                .map(c -> FieldCut.keep(c, allowed.decision().fields())).toList();
        gate.release(res, allowed, items.size(), List.of());
        json(res, Status.OK_200, new Page(items, PersonData.next(items, page.limit())));
    }

    private void events(ServerRequest req, ServerResponse res) {
        Admitted<PageRequest> a = admit(req, res, CALENDAR, PartnerApi::page);
        Gate.Allowed allowed = a.allowed();
        PageRequest page = a.input();
        List<Map<String, Object>> items = data.events(a.id(), page.cursor().afterId(), page.limit()).stream()
                .map(e -> FieldCut.keep(e, allowed.decision().fields())).toList();
        gate.release(res, allowed, items.size(), List.of());
        json(res, Status.OK_200, new Page(items, PersonData.next(items, page.limit())));
    }

    private static long pathId(ServerRequest req, String name) {
        String raw = req.path().pathParameters().get(name);
        // Helidon drops ";..." path parameters from a segment, so "1;x" would read as 1: refuse them instead.
        if (req.path().rawPath().indexOf(';') >= 0) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "path parameters (;) are not accepted");
        }
        return StrictNumbers.positive(raw).orElseThrow(() -> ProblemException.of(ProblemType.BAD_REQUEST,
                name + " must be a positive integer in ASCII digits"));
    }

    private static String query(ServerRequest req, String name) {
        java.util.List<String> values = req.query().all(name, java.util.List::of);
        if (values.size() > 1) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, name + " is given more than once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** The request body as a JSON object, or the 400 problem saying why not (the admin API reads its bodies the same way). */
    public static JsonNode body(ServerRequest req) {
        try {
            if (!req.content().hasEntity()) {
                throw new IOException("the request has no body");
            }
            JsonNode node = Json.MAPPER.readTree(req.content().as(byte[].class));
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // The parser's own message names its classes and echoes input; say where, in words.
            var at = e.getLocation();
            throw ProblemException.of(ProblemType.BAD_REQUEST, "the body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "the body must be a JSON object: " + e.getMessage());
        }
    }

    public static void json(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(body));
    }
}
