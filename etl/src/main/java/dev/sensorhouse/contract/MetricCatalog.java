package dev.sensorhouse.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The metric catalog: for each metric its canonical unit, the units it accepts with their
 * conversions, its valid range and its alert thresholds. The default ships in
 * {@code schemas/contracts/metric-catalog.json}; {@code --metrics-catalog FILE} replaces it.
 *
 * <p>A conversion is {@code canonical = (value + offset) * scale}. Each accepted unit may list
 * {@code aliases}: other spellings and symbols of the same unit ({@code °C}, {@code degC}, {@code Cel}
 * for {@code celsius}). A unit given by an event matches a unit name or alias ignoring case and
 * surrounding whitespace ({@link #fold}); two spellings that fold to the same text must mean the same
 * conversion, or the catalog is rejected.
 */
public final class MetricCatalog implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_RESOURCE = "sensorhouse/schemas/metric-catalog.json";

    /** One accepted unit's conversion to the canonical unit. */
    public record Conversion(double offset, double scale) implements Serializable {
        public double toCanonical(double value) {
            return (value + offset) * scale;
        }
    }

    /**
     * One metric of the catalog; {@code alertLow} and {@code alertHigh} are null when not set.
     *
     * @param units each accepted unit's name (as the catalog writes it) and conversion
     * @param spellings every accepted spelling, folded ({@link #fold}), to the unit name it means
     */
    public record Metric(
            String name,
            String profile,
            String unit,
            double min,
            double max,
            Double alertLow,
            Double alertHigh,
            Map<String, Conversion> units,
            Map<String, String> spellings)
            implements Serializable {

        /** The conversion of a unit as an event gives it (any accepted spelling, any case); null when not accepted. */
        public Conversion conversion(String given) {
            String name = spellings.get(given);
            if (name == null) {
                name = spellings.get(fold(given));
            }
            return name == null ? null : units.get(name);
        }
    }

    /** A unit spelling as it is matched: without surrounding whitespace, in lower case. */
    public static String fold(String unit) {
        return unit.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private final Map<String, Metric> metrics;
    private final String fingerprint;

    private MetricCatalog(Map<String, Metric> metrics, String fingerprint) {
        this.metrics = metrics;
        this.fingerprint = fingerprint;
    }

    /** The catalog shipped in {@code schemas/}. */
    public static MetricCatalog defaults() {
        try (InputStream in = MetricCatalog.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the default metric catalog " + DEFAULT_RESOURCE + " is not on the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default metric catalog", e);
        }
    }

    /** Reads a catalog file; any problem is an {@link IllegalArgumentException} naming the file and the fault. */
    public static MetricCatalog load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--metrics-catalog " + file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses catalog JSON; {@code source} names it in error messages. */
    public static MetricCatalog parse(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "metric catalog " + source + " is not valid JSON: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        JsonNode metricsNode = root == null ? null : root.get("metrics");
        if (metricsNode == null || !metricsNode.isObject() || metricsNode.isEmpty()) {
            throw new IllegalArgumentException(
                    "metric catalog " + source + " must have a non-empty object \"metrics\"");
        }
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metricsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            metrics.put(e.getKey(), metric(e.getKey(), e.getValue(), source));
        }
        return new MetricCatalog(Map.copyOf(metrics), sha256(json));
    }

    private static Metric metric(String name, JsonNode node, String source) {
        String where = "metric catalog " + source + ", metric \"" + name + "\"";
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        String unit = requiredText(node, "unit", where);
        double min = requiredNumber(node, "min", where);
        double max = requiredNumber(node, "max", where);
        if (!(min <= max)) {
            throw new IllegalArgumentException(where + ": min " + min + " is greater than max " + max);
        }
        Map<String, Conversion> units = new TreeMap<>();
        Map<String, String> spellings = new TreeMap<>();
        units.put(unit, new Conversion(0, 1));
        JsonNode unitsNode = node.path("units");
        if (!unitsNode.isMissingNode() && !unitsNode.isObject()) {
            throw new IllegalArgumentException(
                    where + ": \"units\" must be an object of unit -> {offset, scale, aliases}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = unitsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> u = it.next();
            JsonNode c = u.getValue();
            if (!c.isObject()) {
                throw new IllegalArgumentException(
                        where + ": unit \"" + u.getKey() + "\" must be an object {offset, scale, aliases}");
            }
            double offset = optionalNumber(c, "offset", where).orElse(0.0);
            double scale = optionalNumber(c, "scale", where).orElse(1.0);
            if (scale == 0) {
                throw new IllegalArgumentException(where + ": unit \"" + u.getKey() + "\" has scale 0");
            }
            units.put(u.getKey(), new Conversion(offset, scale));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = unitsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> u = it.next();
            spell(spellings, units, u.getKey(), u.getKey(), where);
            JsonNode aliases = u.getValue().path("aliases");
            if (!aliases.isMissingNode() && !aliases.isArray()) {
                throw new IllegalArgumentException(
                        where + ": unit \"" + u.getKey() + "\": \"aliases\" must be an array of strings");
            }
            for (JsonNode alias : aliases) {
                if (!alias.isTextual() || alias.asText().isBlank()) {
                    throw new IllegalArgumentException(where + ": unit \"" + u.getKey()
                            + "\": each alias must be a non-empty string, got " + alias);
                }
                spell(spellings, units, alias.asText(), u.getKey(), where);
            }
        }
        spell(spellings, units, unit, unit, where);
        return new Metric(
                name,
                node.path("profile").asText(""),
                unit,
                min,
                max,
                optionalNumber(node, "alert_low", where).orElse(null),
                optionalNumber(node, "alert_high", where).orElse(null),
                Map.copyOf(units),
                Map.copyOf(spellings));
    }

    /** Records that {@code spelling} means unit {@code name}; a folded clash with another conversion is an error. */
    private static void spell(
            Map<String, String> spellings, Map<String, Conversion> units, String spelling, String name, String where) {
        String folded = fold(spelling);
        String earlier = spellings.putIfAbsent(folded, name);
        if (earlier != null && !units.get(earlier).equals(units.get(name))) {
            throw new IllegalArgumentException(where + ": unit spelling \"" + spelling + "\" of \"" + name
                    + "\" matches \"" + earlier + "\" (units match ignoring case), which converts differently");
        }
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": \"" + field + "\" is required and must be a non-empty string");
        }
        return v.asText();
    }

    private static double requiredNumber(JsonNode node, String field, String where) {
        return optionalNumber(node, field, where)
                .orElseThrow(() ->
                        new IllegalArgumentException(where + ": \"" + field + "\" is required and must be a number"));
    }

    private static Optional<Double> optionalNumber(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a number, got " + v);
        }
        return Optional.of(v.asDouble());
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Metric> metric(String name) {
        return Optional.ofNullable(metrics.get(name));
    }

    public Map<String, Metric> metrics() {
        return metrics;
    }

    /** SHA-256 of the catalog text: part of a run's identity, so a catalog change gives new run ids. */
    public String fingerprint() {
        return fingerprint;
    }
}
