package dev.sensorhouse.cleanse;

import static dev.sensorhouse.contract.Identifiers.DEVICE_ID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.quarantine.ReasonCode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates one raw line against the event contract and the metric catalog. Pure: the outcome depends
 * only on the line, its arrival hour, the catalog and the limits. The line is read once as a stream
 * of JSON tokens (no object tree), which keeps validation at about a microsecond per line.
 *
 * <p>Line-level checks run in the order of {@link ReasonCode} and the first fault wins. Then each
 * metric is checked on its own: an unknown metric, an unaccepted unit or a value outside the catalog
 * range rejects that reading only. An event all of whose readings are rejected is rejected as a line.
 * A metric whose value is {@code null} is no reading and no fault.
 */
public final class RawEventValidator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();
    private static final long HOUR_MICROS = 3_600_000_000L;

    private final MetricCatalog catalog;
    private final CleanseLimits limits;

    public RawEventValidator(MetricCatalog catalog, CleanseLimits limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    /** Validates {@code line}, which arrived in the raw partition starting at {@code arrivalHourMicros}. */
    public ValidatedLine validate(String line, long arrivalHourMicros) {
        int bytes = line.length() * 3 <= limits.maxRecordBytes()
                ? line.length()
                : line.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxRecordBytes()) {
            return ValidatedLine.rejected(
                    ReasonCode.OVERSIZED_RECORD,
                    "line is " + bytes + " bytes, more than the limit of " + limits.maxRecordBytes(),
                    null,
                    null);
        }
        if (line.isBlank()) {
            return ValidatedLine.rejected(ReasonCode.MALFORMED_JSON, "empty line", null, null);
        }
        Fields f;
        try (JsonParser p = JSON.createParser(line)) {
            f = Fields.read(p);
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return ValidatedLine.rejected(ReasonCode.MALFORMED_JSON, "not valid JSON: " + message, null, null);
        }
        if (f == null) {
            return ValidatedLine.rejected(ReasonCode.MALFORMED_JSON, "expected a JSON object", null, null);
        }
        String eventId = f.eventId.isText() ? f.eventId.text : null;
        String deviceId = f.deviceId.isText() ? f.deviceId.text : null;
        for (Field required : new Field[] {f.eventId, f.deviceId, f.ts, f.metrics}) {
            if (required.absentOrNull()) {
                return ValidatedLine.rejected(
                        ReasonCode.MISSING_FIELD,
                        "required field \"" + required.name + "\" is missing",
                        eventId,
                        deviceId);
            }
        }
        String typeFault = f.typeFault();
        if (typeFault != null) {
            return ValidatedLine.rejected(ReasonCode.INVALID_TYPE, typeFault, eventId, deviceId);
        }
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            return ValidatedLine.rejected(
                    ReasonCode.INVALID_DEVICE_ID,
                    "device_id \"" + clip(deviceId) + "\" does not match " + DEVICE_ID.pattern(),
                    eventId,
                    deviceId);
        }
        long ts;
        try {
            ts = timestampMicros(f.ts);
        } catch (DateTimeException | ArithmeticException e) {
            return ValidatedLine.rejected(ReasonCode.INVALID_TIMESTAMP, e.getMessage(), eventId, deviceId);
        }
        long latestAllowed =
                arrivalHourMicros + HOUR_MICROS + limits.maxFutureSkew().toNanos() / 1000;
        if (ts > latestAllowed) {
            return ValidatedLine.rejected(
                    ReasonCode.FUTURE_TIMESTAMP,
                    "ts " + iso(ts) + " is after " + iso(latestAllowed) + " (end of arrival hour plus "
                            + limits.maxFutureSkew() + ")",
                    eventId,
                    deviceId);
        }
        long earliestAllowed = arrivalHourMicros - limits.maxLateness().toNanos() / 1000;
        if (ts < earliestAllowed) {
            return ValidatedLine.rejected(
                    ReasonCode.TOO_LATE,
                    "ts " + iso(ts) + " is before " + iso(earliestAllowed) + " (arrival hour minus "
                            + limits.maxLateness() + ")",
                    eventId,
                    deviceId);
        }
        return readings(f, eventId, deviceId, ts);
    }

    private ValidatedLine readings(Fields f, String eventId, String deviceId, long ts) {
        List<ValidatedLine.Reading> good = new ArrayList<>(f.metricCount);
        List<ValidatedLine.Reject> rejects = new ArrayList<>(0);
        for (int i = 0; i < f.metricCount; i++) {
            if (f.metricNull[i]) {
                continue;
            }
            String name = f.metricNames[i];
            double value = f.metricValues[i];
            MetricCatalog.Metric metric = catalog.metric(name).orElse(null);
            if (metric == null) {
                rejects.add(new ValidatedLine.Reject(
                        ReasonCode.UNKNOWN_METRIC, "metric \"" + clip(name) + "\" is not in the metric catalog", name));
                continue;
            }
            String given = f.unit(name);
            String unit = given == null ? metric.unit() : given;
            MetricCatalog.Conversion conversion = metric.units().get(unit);
            if (conversion == null) {
                rejects.add(new ValidatedLine.Reject(
                        ReasonCode.INVALID_UNIT,
                        "unit \"" + clip(unit) + "\" is not accepted for " + name + "; accepted: "
                                + metric.units().keySet(),
                        name));
                continue;
            }
            double canonical = conversion.toCanonical(value);
            if (!(canonical >= metric.min() && canonical <= metric.max())) {
                rejects.add(new ValidatedLine.Reject(
                        ReasonCode.OUT_OF_RANGE,
                        name + " = " + canonical + " " + metric.unit() + " is outside [" + metric.min() + ", "
                                + metric.max() + "]",
                        name));
                continue;
            }
            good.add(new ValidatedLine.Reading(name, canonical, metric.unit()));
        }
        if (good.isEmpty()) {
            return new ValidatedLine(true, eventId, deviceId, ts, null, null, null, null, null, List.of(), rejects);
        }
        boolean hasFix = !f.location.absentOrNull();
        return new ValidatedLine(
                false,
                eventId,
                deviceId,
                ts,
                hasFix ? f.lat : null,
                hasFix ? f.lon : null,
                f.batteryV.absentOrNull() ? null : f.batteryV.number,
                f.firmware.absentOrNull() ? null : f.firmware.text,
                f.seq.absentOrNull() ? null : (long) f.seq.number,
                good,
                rejects);
    }

    /** One top-level field as read from the token stream: its JSON kind and, for scalars, its value. */
    private static final class Field {
        final String name;
        JsonToken token; // null: absent
        String text; // string value, or the number's literal text
        double number;
        boolean integral;
        boolean fitsLong;

        Field(String name) {
            this.name = name;
        }

        boolean absentOrNull() {
            return token == null || token == JsonToken.VALUE_NULL;
        }

        boolean isText() {
            return token == JsonToken.VALUE_STRING;
        }

        boolean isNumber() {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        /** Reads the current value; containers are skipped (their kind is kept). */
        void read(JsonParser p) throws IOException {
            token = p.currentToken();
            switch (token) {
                case VALUE_STRING -> text = p.getText();
                case VALUE_NUMBER_INT -> {
                    integral = true;
                    fitsLong = p.getNumberType() == JsonParser.NumberType.INT
                            || p.getNumberType() == JsonParser.NumberType.LONG;
                    number = fitsLong ? p.getLongValue() : p.getDoubleValue();
                    text = p.getText();
                }
                case VALUE_NUMBER_FLOAT -> {
                    number = p.getDoubleValue();
                    text = p.getText();
                }
                case VALUE_TRUE, VALUE_FALSE -> text = p.getText();
                case START_OBJECT, START_ARRAY -> p.skipChildren();
                default -> {}
            }
        }

        String kind() {
            return kindOf(token, text);
        }
    }

    private static String kindOf(JsonToken token, String text) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string \"" + clip(text) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number " + text;
            case VALUE_TRUE, VALUE_FALSE -> "a boolean " + text;
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            default -> token.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * The fields of one event, read in a single pass over the parser's tokens (no tree). A repeated
     * key keeps its last value, as a JSON object model would.
     */
    private static final class Fields {
        final Field eventId = new Field("event_id");
        final Field deviceId = new Field("device_id");
        final Field ts = new Field("ts");
        final Field metrics = new Field("metrics");
        final Field units = new Field("units");
        final Field location = new Field("location");
        final Field batteryV = new Field("battery_v");
        final Field firmware = new Field("firmware");
        final Field seq = new Field("seq");
        final Field schemaVersion = new Field("schema_version");
        String[] metricNames = new String[8];
        double[] metricValues = new double[8];
        boolean[] metricNull = new boolean[8];
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

        /** Reads the root object; null when the root is not an object. Throws on malformed JSON or trailing tokens. */
        static Fields read(JsonParser p) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Fields f = new Fields();
            String name;
            while ((name = p.nextFieldName()) != null) {
                p.nextToken();
                switch (name) {
                    case "event_id" -> f.eventId.read(p);
                    case "device_id" -> f.deviceId.read(p);
                    case "ts" -> f.ts.read(p);
                    case "metrics" -> f.readMetrics(p);
                    case "units" -> f.readUnits(p);
                    case "location" -> f.readLocation(p);
                    case "battery_v" -> f.batteryV.read(p);
                    case "firmware" -> f.firmware.read(p);
                    case "seq" -> f.seq.read(p);
                    case "schema_version" -> f.schemaVersion.read(p);
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
                    metricNames = java.util.Arrays.copyOf(metricNames, metricCount * 2);
                    metricValues = java.util.Arrays.copyOf(metricValues, metricCount * 2);
                    metricNull = java.util.Arrays.copyOf(metricNull, metricCount * 2);
                }
                int existing = indexOf(metricNames, metricCount, name);
                int i = existing >= 0 ? existing : metricCount++;
                metricNames[i] = name;
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    metricValues[i] = p.getDoubleValue();
                    metricNull[i] = false;
                    metricNumber = true;
                } else if (t == JsonToken.VALUE_NULL) {
                    metricNull[i] = true;
                } else {
                    if (metricFault == null) {
                        metricFault = "metrics." + clip(name) + " must be a number or null, got "
                                + kindOf(t, t == JsonToken.VALUE_STRING || t.isBoolean() ? p.getText() : null);
                    }
                    p.skipChildren();
                }
            }
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
                if (t != JsonToken.VALUE_STRING) {
                    if (unitFault == null) {
                        unitFault = "units." + clip(name) + " must be a string, got "
                                + kindOf(t, t.isScalarValue() ? p.getText() : null);
                    }
                    p.skipChildren();
                    continue;
                }
                int existing = indexOf(unitNames, unitCount, name);
                if (existing >= 0) {
                    unitValues[existing] = p.getText();
                    continue;
                }
                if (unitCount == unitNames.length) {
                    unitNames = java.util.Arrays.copyOf(unitNames, unitCount * 2);
                    unitValues = java.util.Arrays.copyOf(unitValues, unitCount * 2);
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
            Field latField = new Field("lat");
            Field lonField = new Field("lon");
            String name;
            while ((name = p.nextFieldName()) != null) {
                p.nextToken();
                switch (name) {
                    case "lat" -> latField.read(p);
                    case "lon" -> lonField.read(p);
                    default -> p.skipChildren();
                }
            }
            if (!latField.isNumber() || Math.abs(latField.number) > 90) {
                locationFault = "location.lat must be a number in [-90, 90], got "
                        + (latField.token == null
                                ? "nothing"
                                : latField.text == null ? latField.kind() : latField.text);
            } else if (!lonField.isNumber() || Math.abs(lonField.number) > 180) {
                locationFault = "location.lon must be a number in [-180, 180], got "
                        + (lonField.token == null
                                ? "nothing"
                                : lonField.text == null ? lonField.kind() : lonField.text);
            } else {
                lat = latField.number;
                lon = lonField.number;
            }
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
                return "ts must be an ISO-8601 string or epoch milliseconds, got " + ts.kind();
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
            if (!batteryV.absentOrNull() && !batteryV.isNumber()) {
                return "battery_v must be a number, got " + batteryV.kind();
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
    }

    /**
     * Parses {@code ts}: epoch milliseconds (an integer) or ISO-8601 with {@code Z} or an offset. The
     * common {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)} form is parsed by hand; anything else
     * goes through {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}.
     */
    private static long timestampMicros(Field ts) {
        if (ts.isNumber()) {
            if (!ts.integral) {
                throw new DateTimeException("epoch milliseconds must be an integer, got " + ts.text);
            }
            long millis = (long) ts.number;
            if (!ts.fitsLong || millis < 0 || millis > 253_402_300_799_999L) {
                throw new DateTimeException("epoch milliseconds " + ts.text + " is outside 1970..9999");
            }
            return millis * 1000;
        }
        String s = ts.text;
        long fast = fastIso(s);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            Instant instant = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
        } catch (DateTimeParseException e) {
            throw new DateTimeException("ts \"" + clip(s)
                    + "\" is not ISO-8601 with an offset (e.g. 2026-01-01T00:00:05Z) nor epoch milliseconds");
        }
    }

    /** Hand parser for the common form; Long.MIN_VALUE when the text is not in it (the slow path decides). */
    private static long fastIso(String s) {
        int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 28
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return Long.MIN_VALUE; // day 29-31 and anything odd: let java.time decide
        }
        int i = 19;
        long micros = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return Long.MIN_VALUE;
            }
            long frac = digits(s, start, Math.min(len, 6));
            for (int k = Math.min(len, 6); k < 6; k++) {
                frac *= 10;
            }
            micros = frac;
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return Long.MIN_VALUE;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000L + micros;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static String iso(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)
                .toString();
    }
}
