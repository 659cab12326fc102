package custos.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import custos.server.http.Json;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The served OpenAPI document as a contract: which operation a request hits, and whether an answer (status, headers,
 * media type, body) is one the document describes. Schemas are checked with a JSON Schema validator in OpenAPI
 * 3.1's dialect (JSON Schema 2020-12) and read as closed: a member the document does not name is a finding, so a field the
 * server starts sending cannot go undocumented.
 */
final class OpenApiContract {
    /**
     * Headers of every answer, not of an operation: HTTP's own, nosniff and the request id (docs/api.md says every
     * answer has them).
     */
    private static final Set<String> TRANSPORT = Set.of("content-type", "content-length", "date", "connection",
            "transfer-encoding", "keep-alive", "x-content-type-options", "x-request-id");

    /** One operation of the document: its path template and method. */
    record Operation(String template, String method) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private final JsonNode doc;
    private final ObjectNode closed;
    // OpenAPI 3.1's dialect: JSON Schema 2020-12 plus the OpenAPI keywords (discriminator, example, ...). The schema
    // root is the whole document (so its $refs resolve); its top-level members are no validation keywords.
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialect.builder(Dialects.getOpenApi31())
            .keywords(Stream.of("openapi", "info", "servers", "paths", "components", "security", "tags", "webhooks")
                    .map(NonValidationKeyword::new).toList())
            .build());
    private final Map<String, Schema> schemas = new HashMap<>();

    OpenApiContract(JsonNode doc) {
        this.doc = doc;
        this.closed = doc.deepCopy();
        close(closed);
    }

    JsonNode doc() {
        return doc;
    }

    /** Every operation the document describes. */
    List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(m)) {
                out.add(new Operation(p.getKey(), m.toUpperCase(Locale.ROOT)));
            }
        }));
        return out;
    }

    /** The operation a concrete request path hits (query ignored), if the document describes one. */
    Optional<Operation> operation(String method, String path) {
        String bare = URI.create(path).getPath();
        Iterator<String> templates = doc.path("paths").fieldNames();
        while (templates.hasNext()) {
            String t = templates.next();
            String regex = "^" + java.util.regex.Pattern.quote(t).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q") + "$";
            if (bare.matches(regex) && doc.path("paths").path(t).has(method.toLowerCase(Locale.ROOT))) {
                return Optional.of(new Operation(t, method));
            }
        }
        return Optional.empty();
    }

    /** What in this answer the document does not describe; empty when it describes all of it. */
    List<String> findings(String method, String path, HttpResponse<String> res) {
        String where = method + " " + path + " -> " + res.statusCode() + ": ";
        Optional<Operation> op = operation(method, path);
        if (op.isEmpty()) {
            return List.of(where + "no operation of the document matches");
        }
        String opPointer = "/paths/" + escape(op.get().template()) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode responses = doc.at(opPointer + "/responses");
        String status = Integer.toString(res.statusCode());
        String responsePointer = opPointer + "/responses/" + (responses.has(status) ? status : "default");
        JsonNode response = doc.at(responsePointer);
        if (response.isMissingNode()) {
            return List.of(where + "status " + status + " is not documented for " + op.get());
        }
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = doc.at(responsePointer);
        }
        List<String> out = new ArrayList<>();
        for (var header : res.headers().map().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (TRANSPORT.contains(name)) {
                continue;
            }
            String documented = null;
            for (Iterator<String> it = response.path("headers").fieldNames(); it.hasNext(); ) {
                String h = it.next();
                if (h.equalsIgnoreCase(name)) {
                    documented = h;
                }
            }
            if (documented == null) {
                out.add(where + "header " + header.getKey() + " is not documented");
                continue;
            }
            String headerPointer = responsePointer + "/headers/" + escape(documented);
            JsonNode h = doc.at(headerPointer);
            if (h.has("$ref")) {
                headerPointer = h.get("$ref").asText().substring(1);
            }
            for (String value : header.getValue()) {
                errors(headerPointer + "/schema", JsonNodeFactory.instance.textNode(value))
                        .forEach(e -> out.add(where + "header " + header.getKey() + ": " + e));
            }
        }
        String body = res.body();
        Optional<String> contentType = res.headers().firstValue("content-type").map(v -> v.split(";")[0].strip());
        if (body.isEmpty()) {
            if (response.has("content")) {
                out.add(where + "empty body where the document promises content");
            }
            return out;
        }
        if (contentType.isEmpty() || !response.path("content").has(contentType.get())) {
            out.add(where + "media type " + contentType.orElse("(none)") + " is not documented");
            return out;
        }
        String schemaPointer = responsePointer + "/content/" + escape(contentType.get()) + "/schema";
        if (doc.at(schemaPointer).isMissingNode()) {
            return out;
        }
        JsonNode instance;
        if (contentType.get().endsWith("json")) {
            try {
                instance = Json.MAPPER.readTree(body);
            } catch (java.io.IOException e) {
                out.add(where + "body is not JSON: " + e.getMessage());
                return out;
            }
        } else {
            instance = JsonNodeFactory.instance.textNode(body);
        }
        errors(schemaPointer, instance).forEach(e -> out.add(where + "body " + e));
        return out;
    }

    private List<String> errors(String pointer, JsonNode instance) {
        if (doc.at(pointer).isMissingNode()) {
            return List.of();
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> {
            ObjectNode root = closed.deepCopy();
            // A JSON pointer in a URI fragment: braces of path templates are percent-encoded.
            root.put("$ref", "#" + p.replace("{", "%7B").replace("}", "%7D"));
            return registry.getSchema(root);
        });
        return schema.validate(instance).stream().map(Error::toString).toList();
    }

    /** Marks every object schema that names its properties as closed, unless it says otherwise. */
    private static void close(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("properties") && o.get("properties").isObject() && !o.has("additionalProperties")
                    && !o.has("unevaluatedProperties")) {
                o.put("unevaluatedProperties", false);
            }
            o.elements().forEachRemaining(OpenApiContract::close);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(OpenApiContract::close);
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
