package custos.server.account;

import com.fasterxml.jackson.core.JsonGenerator;
import custos.audit.AccessEvent;
import custos.consent.Consent;
import custos.people.PrivacySettings;
import custos.data.DataCategory;
import custos.server.audit.AccessHistory;
import custos.server.audit.EntryOpenings;
import custos.server.audit.LogIntegrator;
import custos.server.audit.ReceiptJson;
import custos.server.http.Json;
import custos.server.http.WebFeature;
import custos.server.oauth.Session;
import custos.server.pages.Pages;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiSettingsStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A person takes their data home with proof: {@code GET /account/download} (the page), {@code .../data.json}
 * (profile, consents with their states, settings versions, and every history entry as a receipt), {@code
 * .../history.csv} (one row per history entry), and {@code GET /account/history/{index}/receipt} (one entry's
 * receipt file). Only entries about the signed-in person are served; any other index gets the same 404 page. The
 * history is streamed {@value EntryOpenings#PAGE} entries at a time, so memory stays bounded whatever its length.
 */
public final class DownloadPages implements WebFeature {
    public static final String PAGE = "/account/download";

    private final Pages pages;
    private final SignedIn signedIn;
    private final Jdbi jdbi;
    private final EntryOpenings openings;

    public DownloadPages(Pages pages, SignedIn signedIn, Jdbi jdbi, LogIntegrator log) {
        this.pages = pages;
        this.signedIn = signedIn;
        this.jdbi = jdbi;
        this.openings = new EntryOpenings(jdbi, log);
    }

    /** What the download page shows: the log a receipt proves against, so a person can pin its key. */
    public record View(String origin, String verifierKey) {}

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get(PAGE, this::page)
                .get(PAGE + "/data.json", this::data)
                .get(PAGE + "/history.csv", this::csv)
                .get("/account/history/{index}/receipt", this::receipt);
    }

    private void page(ServerRequest req, ServerResponse res) {
        if (signedIn.require(req, res).isEmpty()) {
            return;
        }
        pages.send(res, "account/download.jte", new View(openings.origin(), openings.verifierKey()));
    }

    private void receipt(ServerRequest req, ServerResponse res) {
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        String raw = req.path().pathParameters().get("index");
        Optional<EntryOpenings.Opened> entry = raw.matches("[0-9]{1,18}")
                ? openings.of(session.get().personId(), Long.parseLong(raw)) : Optional.empty();
        if (entry.isEmpty()) {
            // Someone else's entry, none at all, or not a number: one answer, so nothing is learnt about the log.
            res.status(Status.NOT_FOUND_404);
            pages.send(res, "account/not-found.jte", "download");
            return;
        }
        if (entry.get().receipt().proof() == null) {
            res.status(Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.RETRY_AFTER, "2");
            pages.send(res, "account/not-yet.jte", entry.get().index());
            return;
        }
        attachment(res, "application/json", "custos-receipt-" + entry.get().index() + ".json");
        res.send(Json.bytes(ReceiptJson.of(entry.get())));
    }

    private void data(ServerRequest req, ServerResponse res) {
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        long person = session.get().personId();
        EntryOpenings.Signed signed = openings.latest();
        Map<Long, String> partners = partnerNames();
        attachment(res, "application/json", "custos-data.json");
        try (OutputStream out = res.outputStream(); JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("format", "custos-download/v1");
            json.writeStringField("generatedAt", Instant.now().toString());
            json.writeObjectField("profile", profile(person));
            json.writeObjectField("consents", new JdbiConsentStore(jdbi).forPerson(person).stream()
                    .map(c -> consent(c, partners)).toList());
            json.writeObjectField("settingsHistory", new JdbiSettingsStore(jdbi).history(person).stream()
                    .map(DownloadPages::settings).toList());
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("origin", openings.origin());
            log.put("verifierKey", openings.verifierKey());
            log.put("checkpoint", signed == null ? null : signed.note());
            log.put("checkpointSize", signed == null ? 0 : signed.size());
            log.put("howToVerify", "Each history entry is a receipt file of its own: save one as a file and run"
                    + " ./custos log verify-receipt FILE --key VERIFIER_KEY, or tools/verify_receipt.py (docs/receipts.md).");
            json.writeObjectField("log", log);
            json.writeArrayFieldStart("history");
            openings.forEach(person, signed, o -> write(json, ReceiptJson.of(o)));
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void csv(ServerRequest req, ServerResponse res) {
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        long person = session.get().personId();
        attachment(res, "text/csv; charset=utf-8", "custos-history.csv");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(res.outputStream(), StandardCharsets.UTF_8))) {
            out.write("index,time_utc,partner,role,purpose,scope,outcome,reasons,fields\r\n");
            // No proofs here (null checkpoint): the CSV is for reading; data.json and the receipts carry the proofs.
            openings.forEach(person, null, o -> {
                AccessEvent e = o.event();
                row(out, List.of(Long.toString(o.index()), o.at().toString(), nz(o.partnerName()),
                        o.role() == AccessHistory.Role.SUBJECT ? "subject" : "co-subject",
                        e == null ? "" : e.purpose(), e == null ? "" : e.scope(), o.outcome(),
                        e == null ? "" : String.join(" ", e.reasons()), e == null ? "" : String.join(" ", e.fields())));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void row(Writer out, List<String> cells) {
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) out.write(',');
                out.write(cell(cells.get(i)));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One RFC 4180 cell. A value a spreadsheet would run as a formula (leading {@code = + - @}) gets a leading
     * apostrophe: partner names and purposes come from outside the person's control.
     */
    static String cell(String value) {
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static void write(JsonGenerator json, Object value) {
        try {
            json.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void attachment(ServerResponse res, String type, String file) {
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"");
    }

    private Map<String, Object> profile(long person) {
        return jdbi.withHandle(h -> h.createQuery("select id, name, city, email, phone, joined_on from people where id = :p")
                .bind("p", person).map((rs, ctx) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getLong("id"));
                    m.put("name", rs.getString("name"));
                    m.put("city", rs.getString("city"));
                    m.put("email", rs.getString("email"));
                    m.put("phone", rs.getString("phone"));
                    m.put("joinedOn", rs.getDate("joined_on").toLocalDate().toString());
                    return m;
                }).findOne().orElseGet(LinkedHashMap::new));
    }

    private Map<Long, String> partnerNames() {
        Map<Long, String> names = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select id, name from partners")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> names.put(e.getKey(), e.getValue())));
        return names;
    }

    private static Map<String, Object> consent(Consent c, Map<Long, String> partners) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordId", c.recordId());
        m.put("partner", partners.getOrDefault(c.partnerId(), "partner " + c.partnerId()));
        m.put("purposes", c.purposes().stream().sorted().toList());
        m.put("scopes", c.scopes().stream().map(Object::toString).sorted().toList());
        m.put("friendsData", c.friendsData());
        m.put("noticeVersion", c.noticeVersion());
        m.put("method", c.method().name());
        m.put("givenAt", str(c.givenAt()));
        m.put("validUntil", str(c.validUntil()));
        m.put("withdrawnAt", str(c.withdrawnAt()));
        m.put("version", c.version());
        m.put("states", c.history().stream().map(s -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("state", s.state().name());
            state.put("at", str(s.at()));
            return state;
        }).toList());
        return m;
    }

    private static Map<String, Object> settings(PrivacySettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", s.version());
        m.put("effectiveFrom", str(s.effectiveFrom()));
        Map<String, Object> categories = new LinkedHashMap<>();
        for (DataCategory category : DataCategory.values()) categories.put(category.name(), s.of(category));
        m.put("categories", categories);
        return m;
    }

    private static String str(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
