package dev.sensorhouse.dimensions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Unnests a DynamoDB typed image — the JSON object of a stream record's {@code NewImage},
 * {@code OldImage} or {@code Keys}, attribute name → typed value such as {@code {"S": "x"}} — into flat
 * columns, path → text. Generic: it knows DynamoDB's ten type descriptors, not the registry's
 * attributes, so a new attribute in the registry becomes a new column without a code change.
 *
 * <p>Paths: a top-level attribute is its name, a member of a map {@code parent.child}, an element of a
 * list {@code parent[i]} (0-based), recursively ({@code placement.history[0].location_id}). A {@code .},
 * {@code [}, {@code ]} or {@code \} inside an attribute name is escaped with a backslash
 * ({@code a.b} → {@code a\.b}, see {@link #escapeName}), so two different attributes never share a path.
 *
 * <p>Texts by type: {@code S} the string; {@code N} the number's text as given ({@code "-0.35"} stays
 * {@code -0.35}); {@code B} the base64 text; {@code BOOL} {@code true}/{@code false}; {@code NULL} a null
 * text; {@code SS}, {@code NS}, {@code BS} a compact JSON array of strings ({@code ["soil","north-field"]},
 * {@code ["1","2.5"]}); an empty {@code M} the text {@code {}}, an empty {@code L} the text {@code []}
 * (non-empty maps and lists are unnested into their members, so {@code M} and {@code L} only appear
 * for empty ones). Attribute order is kept as in the input.
 *
 * <p>Some exporters (e.g. the AWS blog post this project's CDC input follows) write {@code N} values and
 * {@code NS} elements as bare JSON numbers ({@code {"N": 50.00}}) instead of strings; both are accepted.
 * Danger: a bare number is only as exact as the tree it was read into. Trees from {@link #read} keep its
 * digits and scale ({@code 50.00} stays {@code 50.00}; exponent forms are written out plainly, {@code 1e3}
 * → {@code 1000}); a tree from a default {@link ObjectMapper} has already turned {@code 50.00} into the
 * double {@code 50.0}.
 *
 * <p>Malformed typed values throw {@link InvalidImageException} naming the path and what was expected:
 * nothing is silently dropped or guessed.
 */
public final class DynamoDbJson {
    /**
     * The JSON reader for CDC input: floats as exact big decimals (no trailing zeros stripped), and
     * trailing content after the value is an error.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final String DESCRIPTORS = "S, N, B, BOOL, NULL, SS, NS, BS, M, L";
    /** Beyond this scale a plain number text would be needlessly long; such numbers keep the exponent form. */
    private static final int MAX_PLAIN_SCALE = 200;

    private DynamoDbJson() {}

    /** One unnested value: its DynamoDB type and its text ({@code null} for {@code NULL}). */
    public record TypedValue(Type type, String text) {
        /** DynamoDB's type descriptors. {@code M} and {@code L} only appear for an empty map or list. */
        public enum Type {
            S,
            N,
            B,
            BOOL,
            NULL,
            SS,
            NS,
            BS,
            M,
            L
        }
    }

    /** A typed value that breaks DynamoDB's JSON format. The message is {@code path: problem}. */
    public static final class InvalidImageException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final String problem;

        InvalidImageException(String path, String problem) {
            super(path.isEmpty() ? problem : path + ": " + problem);
            this.path = path;
            this.problem = problem;
        }

        /** The path of the bad value within the image (escaped as in the column names); empty for the image itself. */
        public String path() {
            return path;
        }

        /** What is wrong and what was expected, without the path. */
        public String problem() {
            return problem;
        }
    }

    /**
     * Reads JSON text into a tree that keeps every number's digits and scale, as {@link #unnest} needs for
     * bare-number {@code N} values. Trailing content after the value is an error.
     */
    public static JsonNode read(String json) throws JsonProcessingException {
        return JSON.readTree(json);
    }

    /** The image's attributes as path → text; an explicit {@code {"NULL": true}} gives a present key with a null value. */
    public static LinkedHashMap<String, String> unnest(JsonNode image) throws InvalidImageException {
        LinkedHashMap<String, TypedValue> typed = unnestTyped(image);
        LinkedHashMap<String, String> out = new LinkedHashMap<>(typed.size() * 2);
        typed.forEach((path, value) -> out.put(path, value.text()));
        return out;
    }

    /** The image's attributes as path → typed value, in input order. */
    public static LinkedHashMap<String, TypedValue> unnestTyped(JsonNode image) throws InvalidImageException {
        if (image == null || !image.isObject()) {
            throw new InvalidImageException(
                    "", "expected an image, an object of attribute name to typed value, got " + kind(image));
        }
        LinkedHashMap<String, TypedValue> out = new LinkedHashMap<>();
        members(image, null, out);
        return out;
    }

    /**
     * An attribute name as it appears in a path: {@code \}, {@code .}, {@code [} and {@code ]} get a
     * backslash in front ({@code a.b} → {@code a\.b}); other names are unchanged.
     */
    public static String escapeName(String name) {
        if (name.indexOf('\\') < 0 && name.indexOf('.') < 0 && name.indexOf('[') < 0 && name.indexOf(']') < 0) {
            return name;
        }
        StringBuilder s = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' || c == '.' || c == '[' || c == ']') {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }

    private static void members(JsonNode map, String parent, Map<String, TypedValue> out) throws InvalidImageException {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = escapeName(member.getKey());
            value(member.getValue(), parent == null ? name : parent + "." + name, out);
        }
    }

    private static void value(JsonNode node, String path, Map<String, TypedValue> out) throws InvalidImageException {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new InvalidImageException(
                    path,
                    "expected a typed value, an object with exactly one of " + DESCRIPTORS + ", got " + kind(node));
        }
        Map.Entry<String, JsonNode> entry = node.fields().next();
        TypedValue.Type type = descriptor(entry.getKey());
        if (type == null) {
            throw new InvalidImageException(
                    path, "unknown type descriptor \"" + clip(entry.getKey()) + "\", expected one of " + DESCRIPTORS);
        }
        JsonNode v = entry.getValue();
        switch (type) {
            case S -> {
                require(v.isTextual(), path, "S must be a string", v);
                out.put(path, new TypedValue(type, v.textValue()));
            }
            case N -> out.put(path, new TypedValue(type, number(v, path, "N")));
            case B -> out.put(path, new TypedValue(type, base64(v, path, "B")));
            case BOOL -> {
                require(v.isBoolean(), path, "BOOL must be true or false", v);
                out.put(path, new TypedValue(type, v.asText()));
            }
            case NULL -> {
                require(v.isBoolean() && v.booleanValue(), path, "NULL must be true", v);
                out.put(path, new TypedValue(type, null));
            }
            case SS, NS, BS -> out.put(path, new TypedValue(type, set(type, v, path)));
            case M -> {
                require(v.isObject(), path, "M must be an object of member name to typed value", v);
                if (v.isEmpty()) {
                    out.put(path, new TypedValue(type, "{}"));
                } else {
                    members(v, path, out);
                }
            }
            case L -> {
                require(v.isArray(), path, "L must be an array of typed values", v);
                if (v.isEmpty()) {
                    out.put(path, new TypedValue(type, "[]"));
                }
                for (int i = 0; i < v.size(); i++) {
                    value(v.get(i), path + "[" + i + "]", out);
                }
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static String set(TypedValue.Type type, JsonNode v, String path) throws InvalidImageException {
        String what = switch (type) {
            case SS -> "strings";
            case NS -> "numbers (as strings)";
            default -> "base64 strings";
        };
        require(v.isArray(), path, type + " must be an array of " + what, v);
        ArrayNode texts = JSON.createArrayNode();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String at = type + "[" + i + "]";
            switch (type) {
                case SS -> {
                    require(e.isTextual(), path, type + " must be an array of strings, but " + at + " is not", e);
                    texts.add(e.textValue());
                }
                case NS -> texts.add(number(e, path, at));
                default -> texts.add(base64(e, path, at));
            }
        }
        return texts.toString();
    }

    /** The text of an {@code N} value (or {@code NS} element) {@code what}: a numeric string verbatim, or a bare JSON number. */
    private static String number(JsonNode v, String path, String what) throws InvalidImageException {
        if (v.isTextual()) {
            if (!NUMBER.matcher(v.textValue()).matches()) {
                throw new InvalidImageException(path, what + " value \"" + clip(v.textValue()) + "\" is not a number");
            }
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
            // Jackson reads a bare number beyond the double range (1e999) as an infinite double, even with big decimals
            throw new InvalidImageException(path, what + " value is a number beyond DynamoDB's range (about 1e126)");
        }
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            return Math.abs(d.scale()) <= MAX_PLAIN_SCALE ? d.toPlainString() : d.toString();
        }
        throw new InvalidImageException(
                path, what + " must be a number as a string (e.g. \"30\") or a JSON number, got " + kind(v));
    }

    private static String base64(JsonNode v, String path, String what) throws InvalidImageException {
        require(v.isTextual(), path, what + " must be a base64 string", v);
        try {
            Base64.getDecoder().decode(v.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(
                    path, what + " value \"" + clip(v.textValue()) + "\" is not base64: " + e.getMessage());
        }
        return v.textValue();
    }

    private static void require(boolean ok, String path, String expectation, JsonNode got)
            throws InvalidImageException {
        if (!ok) {
            throw new InvalidImageException(path, expectation + ", got " + kind(got));
        }
    }

    private static TypedValue.Type descriptor(String name) {
        for (TypedValue.Type t : TypedValue.Type.values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** A short description of a JSON value for error messages, e.g. {@code a string "x"}. */
    static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isTextual()) {
            return "a string \"" + clip(v.textValue()) + "\"";
        }
        if (v.isNumber()) {
            return "a number " + clip(v.asText());
        }
        if (v.isBoolean()) {
            return "a boolean " + v.asText();
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            return v.isEmpty() ? "an empty array" : "an array";
        }
        if (v.isObject()) {
            if (v.isEmpty()) {
                return "an empty object";
            }
            StringBuilder names = new StringBuilder();
            for (Iterator<String> it = v.fieldNames(); it.hasNext() && names.length() < 80; ) {
                names.append(names.length() == 0 ? "" : ", ").append(clip(it.next()));
            }
            return "an object with " + v.size() + (v.size() == 1 ? " member (" : " members (") + names + ")";
        }
        return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
