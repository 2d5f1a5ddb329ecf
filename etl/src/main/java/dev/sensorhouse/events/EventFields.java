package dev.sensorhouse.events;

import static dev.sensorhouse.events.RawEventValidator.clip;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The fields of one event, read in a single pass over the parser's tokens (no object tree): the
 * contract's top-level fields, the metric values, the declared units and the GPS fix. Fields outside
 * the contract are skipped.
 *
 * <p>A key that appears twice in the event, in {@code metrics}, {@code units} or {@code location} is
 * noted ({@link #duplicateKey}): a JSON object model would keep one of the values silently, so the
 * record is rejected instead. Repeated keys inside fields the contract skips change nothing it keeps and
 * are not looked at.
 */
final class EventFields {
    final EventField eventId = new EventField("event_id");
    final EventField deviceId = new EventField("device_id");
    final EventField ts = new EventField("ts");
    final EventField metrics = new EventField("metrics");
    final EventField units = new EventField("units");
    final EventField location = new EventField("location");
    final EventField batteryV = new EventField("battery_v");
    final EventField firmware = new EventField("firmware");
    final EventField seq = new EventField("seq");
    final EventField schemaVersion = new EventField("schema_version");
    String[] metricNames = new String[8];
    double[] metricValues = new double[8];
    boolean[] metricNull = new boolean[8];
    String[] metricTexts; // the literal of a value that is no finite double, by metric index
    int metricCount;
    String metricFault; // first metric value that is neither a number nor null
    boolean metricNumber; // at least one numeric metric value
    String[] unitNames = new String[0];
    String[] unitValues = new String[0];
    int unitCount;
    String unitFault;
    String locationFault;
    Double lat;
    Double lon;
    String duplicateKey; // the first repeated key, with its path
    private int seen; // bits of the contract fields already read

    /** Reads the root object; null when the root is not an object. Throws on malformed JSON or trailing tokens. */
    static EventFields read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        EventFields f = new EventFields();
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "event_id" -> f.once(0, name).eventId.read(p);
                case "device_id" -> f.once(1, name).deviceId.read(p);
                case "ts" -> f.once(2, name).ts.read(p);
                case "metrics" -> f.once(3, name).readMetrics(p);
                case "units" -> f.once(4, name).readUnits(p);
                case "location" -> f.once(5, name).readLocation(p);
                case "battery_v" -> f.once(6, name).batteryV.read(p);
                case "firmware" -> f.once(7, name).firmware.read(p);
                case "seq" -> f.once(8, name).seq.read(p);
                case "schema_version" -> f.once(9, name).schemaVersion.read(p);
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "unexpected token " + p.currentToken());
        }
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "trailing content after the JSON object");
        }
        return f;
    }

    /** Notes that the contract's field number {@code bit} was read; a second time is a duplicate key. */
    private EventFields once(int bit, String name) {
        if ((seen & (1 << bit)) != 0) {
            duplicate(name);
        }
        seen |= 1 << bit;
        return this;
    }

    private void duplicate(String path) {
        if (duplicateKey == null) {
            duplicateKey = clip(path);
        }
    }

    private void readMetrics(JsonParser p) throws IOException {
        metricCount = 0;
        metricFault = null;
        metricNumber = false;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            metrics.read(p);
            return;
        }
        metrics.token = JsonToken.START_OBJECT;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (metricCount == metricNames.length) {
                metricNames = Arrays.copyOf(metricNames, metricCount * 2);
                metricValues = Arrays.copyOf(metricValues, metricCount * 2);
                metricNull = Arrays.copyOf(metricNull, metricCount * 2);
            }
            int existing = indexOf(metricNames, metricCount, name);
            if (existing >= 0) {
                duplicate("metrics." + name);
            }
            int i = existing >= 0 ? existing : metricCount++;
            metricNames[i] = name;
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                double v = p.getDoubleValue();
                metricValues[i] = v;
                metricNull[i] = false;
                metricNumber = true;
                if (!Double.isFinite(v)) {
                    if (metricTexts == null) {
                        metricTexts = new String[metricNames.length];
                    } else if (metricTexts.length <= i) {
                        metricTexts = Arrays.copyOf(metricTexts, metricNames.length);
                    }
                    metricTexts[i] = p.getText();
                }
            } else if (t == JsonToken.VALUE_NULL) {
                metricNull[i] = true;
            } else {
                if (metricFault == null) {
                    metricFault = "metrics." + clip(name) + " must be a number or null, got "
                            + EventField.kindOf(t, t == JsonToken.VALUE_STRING || t.isBoolean() ? p.getText() : null);
                }
                p.skipChildren();
            }
        }
    }

    /** The literal text of metric {@code i} when its value is no finite double (e.g. {@code 1e999}), else null. */
    String nonFinite(int i) {
        return metricTexts != null && i < metricTexts.length ? metricTexts[i] : null;
    }

    private void readUnits(JsonParser p) throws IOException {
        unitCount = 0;
        unitFault = null;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            units.read(p);
            return;
        }
        units.token = JsonToken.START_OBJECT;
        unitNames = new String[4];
        unitValues = new String[4];
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            int existing = indexOf(unitNames, unitCount, name);
            if (existing >= 0) {
                duplicate("units." + name);
            }
            if (t != JsonToken.VALUE_STRING) {
                if (unitFault == null) {
                    unitFault = "units." + clip(name) + " must be a string, got "
                            + EventField.kindOf(t, t.isScalarValue() ? p.getText() : null);
                }
                p.skipChildren();
                continue;
            }
            if (existing >= 0) {
                unitValues[existing] = p.getText();
                continue;
            }
            if (unitCount == unitNames.length) {
                unitNames = Arrays.copyOf(unitNames, unitCount * 2);
                unitValues = Arrays.copyOf(unitValues, unitCount * 2);
            }
            unitNames[unitCount] = name;
            unitValues[unitCount++] = p.getText();
        }
    }

    private void readLocation(JsonParser p) throws IOException {
        lat = null;
        lon = null;
        locationFault = null;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            location.read(p);
            if (location.token != JsonToken.VALUE_NULL) {
                locationFault = "location must be an object {lat, lon, alt?}, got " + location.kind();
            }
            return;
        }
        location.token = JsonToken.START_OBJECT;
        EventField latField = new EventField("lat");
        EventField lonField = new EventField("lon");
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "lat" -> {
                    if (latField.token != null) {
                        duplicate("location.lat");
                    }
                    latField.read(p);
                }
                case "lon" -> {
                    if (lonField.token != null) {
                        duplicate("location.lon");
                    }
                    lonField.read(p);
                }
                default -> p.skipChildren();
            }
        }
        if (!latField.isNumber() || !(Math.abs(latField.number) <= 90)) {
            locationFault = "location.lat must be a number in [-90, 90], got " + coordinate(latField);
        } else if (!lonField.isNumber() || !(Math.abs(lonField.number) <= 180)) {
            locationFault = "location.lon must be a number in [-180, 180], got " + coordinate(lonField);
        } else {
            lat = latField.number;
            lon = lonField.number;
        }
    }

    private static String coordinate(EventField f) {
        return f.token == null ? "nothing" : f.text == null ? f.kind() : f.text;
    }

    String unit(String metric) {
        int i = indexOf(unitNames, unitCount, metric);
        return i >= 0 ? unitValues[i] : null;
    }

    private static int indexOf(String[] names, int count, String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The first field whose JSON type breaks the contract, described; null when all types are right. */
    String typeFault() {
        if (!eventId.isText()) {
            return "event_id must be a string, got " + eventId.kind();
        }
        if (eventId.text.isEmpty() || eventId.text.length() > 128) {
            return "event_id must have 1 to 128 characters, got " + eventId.text.length();
        }
        if (!deviceId.isText()) {
            return "device_id must be a string, got " + deviceId.kind();
        }
        if (!ts.isText() && !ts.isNumber()) {
            return "ts must be an ISO-8601 string or epoch seconds or milliseconds, got " + ts.kind();
        }
        if (metrics.token != JsonToken.START_OBJECT) {
            return "metrics must be an object, got " + metrics.kind();
        }
        if (metricFault != null) {
            return metricFault;
        }
        if (!metricNumber) {
            return "metrics must hold at least one numeric value";
        }
        if (!units.absentOrNull()) {
            if (units.token != JsonToken.START_OBJECT) {
                return "units must be an object, got " + units.kind();
            }
            if (unitFault != null) {
                return unitFault;
            }
        }
        if (locationFault != null) {
            return locationFault;
        }
        if (!batteryV.absentOrNull() && !(batteryV.isNumber() && Double.isFinite(batteryV.number))) {
            return "battery_v must be a finite number, got " + batteryV.kind();
        }
        if (!firmware.absentOrNull() && !firmware.isText()) {
            return "firmware must be a string, got " + firmware.kind();
        }
        if (!seq.absentOrNull() && !(seq.token == JsonToken.VALUE_NUMBER_INT && seq.fitsLong)) {
            return "seq must be an integer, got " + seq.kind();
        }
        if (!schemaVersion.absentOrNull() && schemaVersion.token != JsonToken.VALUE_NUMBER_INT) {
            return "schema_version must be an integer, got " + schemaVersion.kind();
        }
        return null;
    }

    /**
     * The first kept text (event id, firmware, metric name) holding a lone UTF-16 surrogate, which a
     * JSON escape such as {@code \ud800} can make: it is no character, and writing it as UTF-8 would
     * replace it, so two distinct ids could become one. Null when there is none.
     */
    String surrogateFault() {
        if (loneSurrogate(eventId.text)) {
            return "event_id";
        }
        if (firmware.isText() && loneSurrogate(firmware.text)) {
            return "firmware";
        }
        for (int i = 0; i < metricCount; i++) {
            if (loneSurrogate(metricNames[i])) {
                return "a metric name";
            }
        }
        return null;
    }

    private static boolean loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
