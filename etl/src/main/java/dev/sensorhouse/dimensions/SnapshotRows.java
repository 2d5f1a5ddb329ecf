package dev.sensorhouse.dimensions;

import static dev.sensorhouse.contract.Identifiers.DEVICE_ID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorhouse.quarantine.ReasonCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the rows of registry snapshot files: CSV with a header line (RFC 4180 quoting, one row per
 * line, an empty field is null) or JSON lines (one object per line, scalar values; nested values are
 * kept as their JSON text). Pure.
 *
 * <p>Required columns: the natural key and every tracked column of the dimension's contract, e.g.
 * for devices {@code device_id, model, firmware, customer, farm, location_id, installed_at, status}.
 * A CSV header without one of them fails the whole file ({@link #header}); other columns are kept as
 * untracked attributes. A bad row is rejected with a reason, never dropped silently.
 */
public final class SnapshotRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotRows() {}

    /** A parsed row: the natural key and the attributes (column to text, null for empty). */
    public record Row(String naturalKey, Map<String, String> attributes) {}

    /** A row that cannot be used, with its reason and, when known, its natural key. */
    public record Rejected(ReasonCode reason, String detail, String naturalKey) {}

    /** Either a row or a rejection. */
    public record Outcome(Row row, Rejected rejected) {
        static Outcome of(Row row) {
            return new Outcome(row, null);
        }

        static Outcome rejected(ReasonCode reason, String detail, String key) {
            return new Outcome(null, new Rejected(reason, detail, key));
        }
    }

    /** The columns a snapshot of {@code dimension} must have, in contract order. */
    public static List<String> required(Dimension dimension) {
        List<String> columns = new ArrayList<>();
        columns.add(dimension.naturalKeyColumn());
        dimension.tracked().forEach(t -> columns.add(t.name()));
        return columns;
    }

    /**
     * The column names of a CSV header line.
     *
     * @throws IllegalArgumentException naming the file and each missing required column
     */
    public static List<String> header(Dimension dimension, String file, String line) {
        List<String> names = line == null ? null : split(stripBom(line));
        if (names == null) {
            throw new IllegalArgumentException(file + ": the header line is missing or not valid CSV");
        }
        names.replaceAll(String::trim);
        List<String> missing =
                required(dimension).stream().filter(c -> !names.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.format(
                    "%s: snapshot is missing required column%s %s; a %s snapshot needs %s",
                    file,
                    missing.size() == 1 ? "" : "s",
                    String.join(", ", missing),
                    dimension.entity().code(),
                    String.join(",", required(dimension))));
        }
        return names;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** One CSV data line under {@code header}. */
    public static Outcome csv(Dimension dimension, List<String> header, String line) {
        List<String> fields = split(line);
        if (fields == null) {
            return Outcome.rejected(
                    ReasonCode.MALFORMED_ROW, "not valid CSV: an unterminated or misplaced quote", null);
        }
        if (fields.size() != header.size()) {
            return Outcome.rejected(
                    ReasonCode.MALFORMED_ROW,
                    String.format(
                            "%d fields, the header has %d (%s)",
                            fields.size(), header.size(), String.join(",", header)),
                    null);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String v = fields.get(i);
            attributes.put(header.get(i), v.isEmpty() ? null : v);
        }
        return validated(dimension, attributes);
    }

    /** One JSON-lines row. */
    public static Outcome json(Dimension dimension, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            return Outcome.rejected(
                    ReasonCode.MALFORMED_JSON,
                    "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    null);
        }
        if (node == null || !node.isObject()) {
            return Outcome.rejected(ReasonCode.MALFORMED_JSON, "a snapshot line must be a JSON object", null);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            attributes.put(e.getKey(), v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
        });
        for (String c : required(dimension)) {
            if (!node.has(c)) {
                return Outcome.rejected(
                        ReasonCode.MISSING_FIELD,
                        "required column " + c + " is absent",
                        attributes.get(dimension.naturalKeyColumn()));
            }
        }
        return validated(dimension, attributes);
    }

    private static Outcome validated(Dimension dimension, Map<String, String> attributes) {
        String key = attributes.get(dimension.naturalKeyColumn());
        if (key == null || key.isBlank()) {
            return Outcome.rejected(ReasonCode.MISSING_FIELD, dimension.naturalKeyColumn() + " is empty", null);
        }
        if (!DEVICE_ID.matcher(key).matches()) {
            return Outcome.rejected(
                    ReasonCode.INVALID_DEVICE_ID,
                    dimension.naturalKeyColumn() + " \"" + key + "\" does not match " + DEVICE_ID.pattern(),
                    key);
        }
        return dimension
                .invalid(attributes)
                .map(d -> Outcome.rejected(ReasonCode.INVALID_TYPE, d, key))
                .orElse(Outcome.of(new Row(key, attributes)));
    }

    /** RFC 4180 fields of one line; null when its quoting is broken. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        return null;
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    return null;
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        return null;
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
