package custos.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.AccessEvent;
import custos.audit.EntryReceipt;
import custos.audit.InvalidProofException;
import custos.policy.DecisionBasis;
import custos.server.http.Json;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receipt file (docs/receipts.md): one JSON document per entry. Hex for bytes, the C2SP tlog-proof and the signed
 * checkpoint as text. The decoded {@code event} is a convenience for people; a verifier decodes the opening itself.
 */
public final class ReceiptJson {
    public static final String FORMAT = "custos-receipt/v1";
    /** Why a co-subject's receipt has no opening, said in the file itself. */
    public static final String CO_SUBJECT_NOTE = "You are a co-subject of this entry: a partner reached your data through"
            + " another person's consent. The event is that person's record, sealed under their key, so this receipt"
            + " proves the entry is in the log but does not open it.";
    public static final String ERASED_NOTE = "The key that sealed this entry was erased: the event can no longer be read,"
            + " but the entry and its proof remain.";
    public static final String PENDING_NOTE = "No signed checkpoint covered this entry yet when the file was made: fetch"
            + " its receipt again to get the proof.";

    private static final HexFormat HEX = HexFormat.of();

    private ReceiptJson() {}

    /** The receipt document of one entry, fields in the documented order. */
    public static Map<String, Object> of(EntryOpenings.Opened o) {
        EntryReceipt r = o.receipt();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("origin", r.origin());
        m.put("index", r.index());
        m.put("role", o.role() == AccessHistory.Role.SUBJECT ? "subject" : "co-subject");
        m.put("at", o.at().toString());
        m.put("partner", o.partnerName());
        m.put("outcome", o.outcome());
        if (r.opened()) {
            Map<String, Object> opening = new LinkedHashMap<>();
            opening.put("salt", HEX.formatHex(r.salt()));
            opening.put("event", HEX.formatHex(r.eventBytes()));
            m.put("opening", opening);
            m.put("event", event(o.event()));
        } else {
            m.put("opening", null);
            m.put("openingWithheld", o.role() == AccessHistory.Role.CO_SUBJECT ? CO_SUBJECT_NOTE : ERASED_NOTE);
        }
        m.put("commitment", HEX.formatHex(r.leafData()));
        m.put("leafHash", HEX.formatHex(r.leafHash()));
        m.put("proof", r.proof());
        m.put("checkpoint", r.checkpoint());
        if (r.proof() == null) {
            m.put("proofPending", PENDING_NOTE);
        }
        return m;
    }

    /** The decoded event, for reading; the opening's bytes are what counts. */
    public static Map<String, Object> event(AccessEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        DecisionBasis b = e.basis();
        m.put("id", e.id().toString());
        m.put("at", e.at().toString());
        m.put("partnerId", e.partnerId());
        m.put("clientId", e.clientId());
        m.put("purpose", e.purpose());
        m.put("scope", e.scope());
        m.put("actor", e.actor());
        m.put("subject", e.subject());
        m.put("coSubjects", e.coSubjects());
        m.put("outcome", e.outcome().name());
        m.put("reasons", e.reasons());
        Map<String, Object> basis = new LinkedHashMap<>();
        basis.put("agreementId", b.agreementId());
        basis.put("agreementVersion", b.agreementVersion());
        basis.put("consentId", b.consentId());
        basis.put("consentVersion", b.consentVersion());
        basis.put("actorSettingsVersion", b.actorSettingsVersion());
        basis.put("subjectSettingsVersion", b.subjectSettingsVersion());
        m.put("basis", basis);
        m.put("records", e.records());
        m.put("fields", e.fields());
        if (e.policySeq() != AccessEvent.NO_INPUTS) {
            // The committed decision inputs it was decided on (docs/bundle-format.md): what an auditor re-decides from.
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("policySeq", e.policySeq());
            if (e.cites() != null) {
                inputs.put("partner", e.cites().partnerSeq());
                inputs.put("people", e.cites().people().stream()
                        .map(c -> Map.of("person", c.person(), "seq", c.seq())).toList());
            }
            m.put("inputs", inputs);
        }
        return m;
    }

    /** Reads a receipt file; anything that is not one is an {@link InvalidProofException} saying what is wrong. */
    public static EntryReceipt parse(String json) throws InvalidProofException {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new InvalidProofException("the receipt is not JSON");
        }
        if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
            throw new InvalidProofException("not a " + FORMAT + " receipt");
        }
        if (!n.path("index").canConvertToLong() || !n.path("origin").isTextual()) {
            throw new InvalidProofException("the receipt has no index or no origin");
        }
        if (!n.path("proof").isTextual()) {
            throw new InvalidProofException("the receipt has no inclusion proof" + (n.has("proofPending") ? " yet: " + PENDING_NOTE : ""));
        }
        JsonNode opening = n.path("opening");
        byte[] salt = null;
        byte[] event = null;
        if (opening.isObject()) {
            salt = hex(opening.path("salt"), "opening.salt");
            event = hex(opening.path("event"), "opening.event");
        } else if (!opening.isNull() && !opening.isMissingNode()) {
            throw new InvalidProofException("the receipt's opening is not an object");
        }
        return new EntryReceipt(n.get("origin").asText(), n.get("index").asLong(), salt, event, hex(n.path("commitment"), "commitment"),
                n.path("leafHash").isMissingNode() || n.path("leafHash").isNull() ? null : hex(n.path("leafHash"), "leafHash"),
                n.get("proof").asText(), n.path("checkpoint").isTextual() ? n.get("checkpoint").asText() : null);
    }

    private static byte[] hex(JsonNode node, String name) throws InvalidProofException {
        if (!node.isTextual()) throw new InvalidProofException("the receipt has no " + name);
        try {
            return HEX.parseHex(node.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidProofException("the receipt's " + name + " is not hex");
        }
    }
}
