package dev.sensorhouse.simulate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Test oracle: the cleanse rules of DESIGN.md and {@code raw-event.schema.json}, written here
 * independently of the simulator, so a test can check that each injected fault trips exactly its
 * own rule and that the simulator's expected counts are what a cleanse would produce.
 *
 * <p>Line checks in order, first fault wins: oversized_record (line bytes > 65,536), malformed_json,
 * missing_field, invalid_type, invalid_device_id, invalid_timestamp, future_timestamp (ts after the
 * arrival hour's end plus 5 min), too_late (ts before the arrival hour's start minus 7 days). Then per
 * reading: unknown_metric, invalid_unit, out_of_range. Then duplicates by event_id, first seen wins.
 */
final class ReferenceCleanse {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$");
    private static final long HOUR_MS = 3_600_000L;
    private static final long MAX_FUTURE_MS = HOUR_MS + Duration.ofMinutes(5).toMillis();
    private static final long MAX_LATENESS_MS = Duration.ofDays(7).toMillis();

    /** A catalog metric: canonical unit, range, accepted units and their aliases (lower case) as {offset, scale}. */
    record Metric(String unit, double min, double max, Map<String, double[]> units) {
        double canonical(String unit, double value) {
            double[] c = units.get(fold(unit));
            return (value + c[0]) * c[1];
        }
    }

    /** Units match ignoring case and surrounding whitespace. */
    static String fold(String unit) {
        return unit.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** What happened to one line. */
    record Verdict(
            String lineReason,
            String eventId,
            long tsMillis,
            JsonNode event,
            int goodReadings,
            List<String> readingReasons) {}

    /** Counts of a cleanse over a list of lines. */
    record Tally(
            long linesIn,
            long eventsCleansed,
            long linesQuarantined,
            long duplicates,
            long readingsCleansed,
            Map<String, Long> rowsByReason,
            long lateEvents,
            long fahrenheitReadings) {}

    static final Map<String, Metric> CATALOG = loadCatalog();

    static Map<String, Metric> loadCatalog() {
        try (InputStream in = ReferenceCleanse.class
                .getClassLoader()
                .getResourceAsStream("sensorhouse/schemas/metric-catalog.json")) {
            if (in == null) {
                throw new IllegalStateException("sensorhouse/schemas/metric-catalog.json is not on the classpath");
            }
            Map<String, Metric> metrics = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            JSON.readTree(in).get("metrics").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                Map<String, double[]> units = new LinkedHashMap<>();
                m.getValue().get("units").fields().forEachRemaining(u -> {
                    double[] conversion = {
                        u.getValue().path("offset").asDouble(0),
                        u.getValue().path("scale").asDouble(1)
                    };
                    units.put(fold(u.getKey()), conversion);
                    u.getValue().path("aliases").forEach(a -> units.put(fold(a.asText()), conversion));
                });
                JsonNode v = m.getValue();
                metrics.put(
                        m.getKey(),
                        new Metric(
                                v.get("unit").asText(),
                                v.get("min").asDouble(),
                                v.get("max").asDouble(),
                                units));
            }
            return metrics;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Verdict classify(SimulatedFiles.Line line) {
        if (line.bytes() > 65_536) {
            return rejected("oversized_record");
        }
        JsonNode root;
        try {
            root = JSON.readTree(line.text());
        } catch (IOException e) {
            return rejected("malformed_json");
        }
        if (root == null || !root.isObject()) {
            return rejected("malformed_json");
        }
        for (String field : List.of("event_id", "device_id", "ts", "metrics")) {
            if (!root.hasNonNull(field)) {
                return rejected("missing_field");
            }
        }
        if (!typesAreRight(root)) {
            return rejected("invalid_type");
        }
        if (!DEVICE_ID.matcher(root.get("device_id").asText()).matches()) {
            return rejected("invalid_device_id");
        }
        Long ts = timestampMillis(root.get("ts"));
        if (ts == null) {
            return rejected("invalid_timestamp");
        }
        long hour = line.arrivalHour().toEpochMilli();
        if (ts > hour + MAX_FUTURE_MS) {
            return rejected("future_timestamp");
        }
        if (ts < hour - MAX_LATENESS_MS) {
            return rejected("too_late");
        }
        int good = 0;
        List<String> readingReasons = new ArrayList<>();
        JsonNode units = root.path("units");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("metrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (m.getValue().isNull()) {
                continue;
            }
            Metric metric = CATALOG.get(m.getKey());
            if (metric == null) {
                readingReasons.add("unknown_metric");
                continue;
            }
            String unit = units.has(m.getKey()) ? units.get(m.getKey()).asText() : metric.unit();
            if (!metric.units().containsKey(fold(unit))) {
                readingReasons.add("invalid_unit");
                continue;
            }
            double value = metric.canonical(unit, m.getValue().doubleValue());
            if (!(value >= metric.min() && value <= metric.max())) {
                readingReasons.add("out_of_range");
                continue;
            }
            good++;
        }
        if (good == 0) {
            return rejected("no_good_reading");
        }
        return new Verdict(null, root.get("event_id").asText(), ts, root, good, readingReasons);
    }

    static Tally run(List<SimulatedFiles.Line> lines) {
        Set<String> seen = new HashSet<>();
        Map<String, Long> rows = new TreeMap<>();
        long cleansed = 0, quarantined = 0, duplicates = 0, readings = 0, late = 0, fahrenheit = 0;
        for (SimulatedFiles.Line line : lines) {
            Verdict v = classify(line);
            if (v.lineReason() != null) {
                quarantined++;
                rows.merge(v.lineReason(), 1L, Long::sum);
                continue;
            }
            if (!seen.add(v.eventId())) {
                duplicates++;
                continue;
            }
            cleansed++;
            readings += v.goodReadings();
            v.readingReasons().forEach(r -> rows.merge(r, 1L, Long::sum));
            if (v.tsMillis() < line.arrivalHour().toEpochMilli() - HOUR_MS) {
                late++;
            }
            for (JsonNode unit : v.event().path("units")) {
                if (unit.asText().equals("fahrenheit")) {
                    fahrenheit++;
                }
            }
        }
        return new Tally(lines.size(), cleansed, quarantined, duplicates, readings, rows, late, fahrenheit);
    }

    private static Verdict rejected(String reason) {
        return new Verdict(reason, null, 0, null, 0, List.of());
    }

    private static boolean typesAreRight(JsonNode root) {
        JsonNode eventId = root.get("event_id");
        if (!eventId.isTextual()
                || eventId.asText().isEmpty()
                || eventId.asText().length() > 128) {
            return false;
        }
        if (!root.get("device_id").isTextual()) {
            return false;
        }
        JsonNode ts = root.get("ts");
        if (!ts.isTextual() && !ts.isIntegralNumber()) {
            return false;
        }
        JsonNode metrics = root.get("metrics");
        if (!metrics.isObject()) {
            return false;
        }
        boolean anyNumber = false;
        for (JsonNode v : metrics) {
            if (v.isNumber()) {
                anyNumber = true;
            } else if (!v.isNull()) {
                return false;
            }
        }
        if (!anyNumber) {
            return false;
        }
        if (root.has("units")) {
            if (!root.get("units").isObject()) {
                return false;
            }
            for (JsonNode v : root.get("units")) {
                if (!v.isTextual()) {
                    return false;
                }
            }
        }
        if (root.has("location")) {
            JsonNode l = root.get("location");
            if (!l.isObject()
                    || !l.path("lat").isNumber()
                    || !l.path("lon").isNumber()
                    || Math.abs(l.get("lat").asDouble()) > 90
                    || Math.abs(l.get("lon").asDouble()) > 180) {
                return false;
            }
        }
        return (!root.has("battery_v") || root.get("battery_v").isNumber())
                && (!root.has("firmware") || root.get("firmware").isTextual())
                && (!root.has("seq") || root.get("seq").isIntegralNumber())
                && (!root.has("schema_version") || root.get("schema_version").isIntegralNumber());
    }

    /** Epoch milliseconds of an integer or an ISO-8601 string with an offset; null when unparsable. */
    static Long timestampMillis(JsonNode ts) {
        if (ts.isIntegralNumber()) {
            return ts.asLong() >= 0 ? ts.asLong() : null;
        }
        try {
            return OffsetDateTime.parse(ts.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
