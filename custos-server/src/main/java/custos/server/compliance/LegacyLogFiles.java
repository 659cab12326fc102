package custos.server.compliance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import custos.compliance.LegacyAccess;
import custos.data.DataCategory;
import custos.data.Operation;
import custos.server.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A legacy system's access log in the two formats of docs/legacy-log-format.md: CSV with a header row
 * ({@code time,partner,person,category,operation,fields}, optionally {@code via} and {@code purpose}; fields joined
 * by {@code ;}) and JSON (an array of objects with the same names, {@code fields} an array). The whole file is read
 * and checked before anything is assessed: a bad line is one error naming the line, and nothing is reported.
 */
public final class LegacyLogFiles {
    /** The columns every CSV file has, in any order. */
    public static final List<String> REQUIRED = List.of("time", "partner", "person", "category", "operation", "fields");

    private LegacyLogFiles() {}

    /** Reads {@code file} as {@code format} ("csv" or "json"; null: by the file's extension). */
    public static List<LegacyAccess> read(Path file, String format) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no legacy log at " + file);
        }
        String f = format != null ? format.toLowerCase(Locale.ROOT)
                : file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? "json" : "csv";
        return switch (f) {
            case "csv" -> csv(file);
            case "json" -> json(file);
            default -> throw new IllegalArgumentException("--format must be csv or json, got: " + format);
        };
    }

    private static List<LegacyAccess> csv(Path file) throws IOException {
        List<LegacyAccess> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty: a CSV legacy log starts with a header row");
            }
            List<String> names = Csv.split(header.strip()).stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
            for (String required : REQUIRED) {
                if (!names.contains(required)) {
                    throw new IllegalArgumentException(file + ": the header has no column " + required + " (needs "
                            + String.join(",", REQUIRED) + ")");
                }
            }
            String text;
            long line = 1;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                List<String> values;
                try {
                    values = Csv.split(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + line + ": " + e.getMessage());
                }
                if (values.size() != names.size()) {
                    throw new IllegalArgumentException(file + " line " + line + ": " + values.size() + " columns, the header has "
                            + names.size());
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    row.put(names.get(i), values.get(i).strip());
                }
                String fields = row.get("fields");
                out.add(access(file, line, row, fields.isEmpty() ? List.of() : Arrays.asList(fields.split(";"))));
            }
        }
        return out;
    }

    private static List<LegacyAccess> json(Path file) throws IOException {
        List<LegacyAccess> out = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(file + ": a JSON legacy log is an array of objects");
            }
            long n = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                n++;
                JsonNode node = Json.MAPPER.readTree(p);
                Map<String, String> row = new HashMap<>();
                node.fields().forEachRemaining(e -> row.put(e.getKey().toLowerCase(Locale.ROOT),
                        e.getValue().isValueNode() ? e.getValue().asText() : null));
                List<String> fields = new ArrayList<>();
                if (!node.path("fields").isArray()) {
                    throw new IllegalArgumentException(file + " entry " + n + ": fields must be an array of field names");
                }
                node.path("fields").forEach(v -> fields.add(v.asText()));
                row.put("fields", "");
                out.add(access(file, n, row, fields));
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException(file + ": entry " + (n + 1) + " is not an object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        return out;
    }

    private static LegacyAccess access(Path file, long line, Map<String, String> row, List<String> fields) {
        String where = file + (file.toString().endsWith(".json") ? " entry " : " line ") + line + ": ";
        for (String required : REQUIRED) {
            if (row.get(required) == null || (!required.equals("fields") && row.get(required).isBlank())) {
                throw new IllegalArgumentException(where + required + " is missing");
            }
        }
        try {
            Instant at = Instant.parse(row.get("time"));
            long person = Long.parseLong(row.get("person"));
            String via = row.get("via");
            long viaPerson = via == null || via.isBlank() ? person : Long.parseLong(via);
            String purpose = row.get("purpose");
            return new LegacyAccess(line, at, row.get("partner"), person, viaPerson,
                    DataCategory.fromCode(row.get("category")), Operation.fromCode(row.get("operation")), fields,
                    purpose == null || purpose.isBlank() ? null : purpose);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "time must be an ISO-8601 instant like 2025-03-01T08:00:00Z, got "
                    + row.get("time"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "person and via must be person ids (whole numbers)");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }

    /** Writes lines as CSV with every column (the demo's old-whitelist log). */
    public static void writeCsv(List<LegacyAccess> lines, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".legacy-log", ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write(Csv.row("time", "partner", "person", "via", "category", "operation", "fields", "purpose"));
            for (LegacyAccess l : lines) {
                out.write(Csv.row(l.at(), l.partner(), l.person(), l.via(), l.category().code(), l.operation().code(),
                        String.join(";", l.fields()), l.purpose()));
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
