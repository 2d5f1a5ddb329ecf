package dev.sensorhouse.testing;

import dev.sensorhouse.zones.RawZone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named builders of raw event lines, e.g.
 * {@code Events.event("e1").device("d1").at("2026-01-01T00:00:05Z").metric("temperature", 21.5).json()},
 * and a writer of raw-zone files.
 */
public final class Events {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Object> metrics = new LinkedHashMap<>();
    private final Map<String, Object> units = new LinkedHashMap<>();

    private Events(String eventId) {
        fields.put("event_id", eventId);
        fields.put("device_id", "farm-001-probe-0001");
        fields.put("ts", "2026-01-01T00:00:05Z");
        fields.put("metrics", metrics);
    }

    public static Events event(String eventId) {
        return new Events(eventId);
    }

    public Events device(String deviceId) {
        fields.put("device_id", deviceId);
        return this;
    }

    public Events at(String isoTs) {
        fields.put("ts", isoTs);
        return this;
    }

    public Events atEpochMillis(long millis) {
        fields.put("ts", millis);
        return this;
    }

    public Events metric(String name, Object value) {
        metrics.put(name, value);
        return this;
    }

    public Events unit(String metric, String unit) {
        fields.put("units", units);
        units.put(metric, unit);
        return this;
    }

    /** Sets any field to a raw JSON value (text inserted verbatim), e.g. {@code raw("ts", "true")}. */
    public Events raw(String field, String jsonValue) {
        fields.put(field, new RawJson(jsonValue));
        return this;
    }

    public Events without(String field) {
        fields.remove(field);
        return this;
    }

    public String json() {
        StringBuilder s = new StringBuilder();
        value(s, fields);
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private static void value(StringBuilder s, Object v) {
        if (v instanceof RawJson raw) {
            s.append(raw.text());
        } else if (v instanceof String str) {
            s.append('"')
                    .append(str.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        } else if (v instanceof Map<?, ?> map) {
            s.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                if (!first) {
                    s.append(',');
                }
                first = false;
                s.append('"').append(e.getKey()).append("\":");
                value(s, e.getValue());
            }
            s.append('}');
        } else {
            s.append(v);
        }
    }

    private record RawJson(String text) {}

    /** Writes lines as one raw file in the arrival-hour partition of {@code hour}; returns its relative path. */
    public static String writeRaw(Path lake, String hour, String fileName, List<String> lines) throws IOException {
        String dir = RawZone.hourDir(Instant.parse(hour));
        Path folder = lake.resolve(dir);
        Files.createDirectories(folder);
        Files.write(folder.resolve(fileName), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return dir + "/" + fileName;
    }

    public static List<String> lines(String... lines) {
        return new ArrayList<>(List.of(lines));
    }
}
