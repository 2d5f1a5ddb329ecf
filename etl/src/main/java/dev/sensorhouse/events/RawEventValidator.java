package dev.sensorhouse.events;

import static dev.sensorhouse.contract.Identifiers.DEVICE_ID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.quarantine.ReasonCode;
import dev.sensorhouse.zones.Utf8;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates one raw record (a line, or one object of a line holding several) against the event
 * contract and the metric catalog: the raw event contract in code, shared by the cleanse job and the
 * stream job. Pure: the outcome depends only on the record's bytes, its arrival hour, the catalog and
 * the limits. The record is read once as a stream of JSON tokens from its bytes (no object tree, no
 * text copy), which keeps validation at about a microsecond per record.
 *
 * <p>Record-level checks run in the order of {@link ReasonCode} and the first fault wins:
 *
 * <ol>
 *   <li>{@code oversized_record}: more than {@code maxRecordBytes} bytes;
 *   <li>{@code invalid_encoding}: bytes that are not UTF-8 (the record's bytes are kept as they are);
 *   <li>{@code malformed_json}: not one JSON object (also {@code NaN}/{@code Infinity}, which are no
 *       JSON numbers, and nesting deeper than {@value #MAX_NESTING} levels);
 *   <li>{@code duplicate_key}: a key repeated in the event, its {@code metrics}, {@code units} or
 *       {@code location};
 *   <li>{@code missing_field}, {@code invalid_type} (also a kept string holding a lone UTF-16
 *       surrogate escape, reported as {@code invalid_encoding}), {@code invalid_device_id},
 *       {@code invalid_timestamp} ({@link EventTimes}), {@code future_timestamp}, {@code too_late}.
 * </ol>
 *
 * <p>Then each metric is checked on its own: an unknown metric, an unaccepted unit (units match the
 * catalog's names and aliases ignoring case, {@link MetricCatalog.Metric#conversion}) or a value
 * outside the catalog range (also a number too large for a double, such as {@code 1e999}) rejects that
 * reading only. An event all of whose readings are rejected is rejected as a record. A metric whose
 * value is {@code null} is no reading and no fault. A byte-order mark before the object is ignored.
 */
public final class RawEventValidator implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Deepest nesting of arrays and objects a record may have. */
    static final int MAX_NESTING = 100;

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();
    private static final long HOUR_MICROS = 3_600_000_000L;

    private final MetricCatalog catalog;
    private final EventLimits limits;

    public RawEventValidator(MetricCatalog catalog, EventLimits limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    /** Validates a record given as text (encoded as UTF-8), which arrived in the hour starting at {@code arrivalHourMicros}. */
    public ValidatedRecord validate(String record, long arrivalHourMicros) {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        return validate(bytes, 0, bytes.length, bytes.length, arrivalHourMicros);
    }

    /** Validates the record {@code bytes[off, off+len)}. */
    public ValidatedRecord validate(byte[] bytes, int off, int len, long arrivalHourMicros) {
        return validate(bytes, off, len, len, arrivalHourMicros);
    }

    /**
     * Validates a record of which {@code bytes[off, off+len)} was kept and {@code size} is the full
     * size (larger than {@code len} when a reader held only the first bytes of an oversized record).
     */
    public ValidatedRecord validate(byte[] bytes, int off, int len, long size, long arrivalHourMicros) {
        if (size > limits.maxRecordBytes()) {
            return ValidatedRecord.rejected(
                    ReasonCode.OVERSIZED_RECORD,
                    String.format(
                            java.util.Locale.ROOT,
                            "record is %,d bytes, more than the limit of %,d",
                            size,
                            limits.maxRecordBytes()),
                    null,
                    null);
        }
        int bad = Utf8.firstInvalid(bytes, off, len);
        if (bad >= 0) {
            return ValidatedRecord.rejected(
                    ReasonCode.INVALID_ENCODING,
                    String.format(
                            java.util.Locale.ROOT,
                            "byte 0x%02X at offset %d is not UTF-8; raw_line holds the record's bytes in base64",
                            bytes[off + bad] & 0xFF,
                            bad),
                    null,
                    null);
        }
        int start = off;
        int end = off + len;
        if (len >= 3
                && (bytes[off] & 0xFF) == 0xEF
                && (bytes[off + 1] & 0xFF) == 0xBB
                && (bytes[off + 2] & 0xFF) == 0xBF) {
            start += 3; // a byte-order mark
        }
        while (start < end
                && (bytes[start] == ' ' || bytes[start] == '\t' || bytes[start] == '\r' || bytes[start] == '\n')) {
            start++;
        }
        if (start == end) {
            return ValidatedRecord.rejected(ReasonCode.MALFORMED_JSON, "empty line", null, null);
        }
        for (int i = start; i < Math.min(end, start + 4); i++) {
            if (bytes[i] == 0) { // keeps the parser from taking the bytes for UTF-16 or UTF-32
                return ValidatedRecord.rejected(
                        ReasonCode.MALFORMED_JSON, "not valid JSON: a NUL byte at offset " + (i - off), null, null);
            }
        }
        EventFields f;
        try (JsonParser p = JSON.createParser(bytes, start, end - start)) {
            f = EventFields.read(p);
        } catch (IOException e) {
            return ValidatedRecord.rejected(ReasonCode.MALFORMED_JSON, "not valid JSON: " + message(e), null, null);
        }
        if (f == null) {
            return ValidatedRecord.rejected(ReasonCode.MALFORMED_JSON, "expected a JSON object", null, null);
        }
        return fields(f, arrivalHourMicros);
    }

    private ValidatedRecord fields(EventFields f, long arrivalHourMicros) {
        String eventId = f.eventId.isText() ? f.eventId.text : null;
        String deviceId = f.deviceId.isText() ? f.deviceId.text : null;
        if (f.duplicateKey != null) {
            return ValidatedRecord.rejected(
                    ReasonCode.DUPLICATE_KEY,
                    "key \"" + f.duplicateKey + "\" appears more than once; which value counts is undefined",
                    eventId,
                    deviceId);
        }
        for (EventField required : new EventField[] {f.eventId, f.deviceId, f.ts, f.metrics}) {
            if (required.absentOrNull()) {
                return ValidatedRecord.rejected(
                        ReasonCode.MISSING_FIELD,
                        "required field \"" + required.name + "\" is missing",
                        eventId,
                        deviceId);
            }
        }
        String typeFault = f.typeFault();
        if (typeFault != null) {
            return ValidatedRecord.rejected(ReasonCode.INVALID_TYPE, typeFault, eventId, deviceId);
        }
        String surrogate = f.surrogateFault();
        if (surrogate != null) {
            return ValidatedRecord.rejected(
                    ReasonCode.INVALID_ENCODING,
                    surrogate + " holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF), which is no character",
                    null,
                    deviceId);
        }
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            return ValidatedRecord.rejected(
                    ReasonCode.INVALID_DEVICE_ID,
                    "device_id \"" + clip(deviceId) + "\" does not match " + DEVICE_ID.pattern(),
                    eventId,
                    deviceId);
        }
        long ts;
        try {
            if (f.ts.isNumber()) {
                if (!f.ts.integral) {
                    throw new DateTimeException("epoch time must be an integer, got " + f.ts.text);
                }
                ts = EventTimes.epochMicros(f.ts.longValue, f.ts.fitsLong, f.ts.text);
            } else {
                ts = EventTimes.isoMicros(f.ts.text);
            }
        } catch (DateTimeException | ArithmeticException e) {
            return ValidatedRecord.rejected(ReasonCode.INVALID_TIMESTAMP, e.getMessage(), eventId, deviceId);
        }
        long latestAllowed =
                arrivalHourMicros + HOUR_MICROS + limits.maxFutureSkew().toNanos() / 1000;
        if (ts > latestAllowed) {
            return ValidatedRecord.rejected(
                    ReasonCode.FUTURE_TIMESTAMP,
                    "ts " + EventTimes.iso(ts) + " is after " + EventTimes.iso(latestAllowed)
                            + " (end of arrival hour plus " + limits.maxFutureSkew() + ")",
                    eventId,
                    deviceId);
        }
        long earliestAllowed = arrivalHourMicros - limits.maxLateness().toNanos() / 1000;
        if (ts < earliestAllowed) {
            return ValidatedRecord.rejected(
                    ReasonCode.TOO_LATE,
                    "ts " + EventTimes.iso(ts) + " is before " + EventTimes.iso(earliestAllowed)
                            + " (arrival hour minus " + limits.maxLateness() + ")",
                    eventId,
                    deviceId);
        }
        return readings(f, eventId, deviceId, ts);
    }

    private ValidatedRecord readings(EventFields f, String eventId, String deviceId, long ts) {
        List<ValidatedRecord.Reading> good = new ArrayList<>(f.metricCount);
        List<ValidatedRecord.Reject> rejects = new ArrayList<>(0);
        for (int i = 0; i < f.metricCount; i++) {
            if (f.metricNull[i]) {
                continue;
            }
            String name = f.metricNames[i];
            double value = f.metricValues[i];
            MetricCatalog.Metric metric = catalog.metric(name).orElse(null);
            if (metric == null) {
                rejects.add(new ValidatedRecord.Reject(
                        ReasonCode.UNKNOWN_METRIC, "metric \"" + clip(name) + "\" is not in the metric catalog", name));
                continue;
            }
            String given = f.unit(name);
            MetricCatalog.Conversion conversion =
                    given == null ? metric.units().get(metric.unit()) : metric.conversion(given);
            if (conversion == null) {
                rejects.add(new ValidatedRecord.Reject(
                        ReasonCode.INVALID_UNIT,
                        "unit \"" + clip(given) + "\" is not accepted for " + name + "; accepted: "
                                + metric.units().keySet() + " and their aliases in the metric catalog, in any case",
                        name));
                continue;
            }
            double canonical = conversion.toCanonical(value);
            if (!(canonical >= metric.min() && canonical <= metric.max())) {
                String nonFinite = f.nonFinite(i);
                rejects.add(new ValidatedRecord.Reject(
                        ReasonCode.OUT_OF_RANGE,
                        nonFinite != null
                                ? name + " = " + clip(nonFinite) + " is beyond the range of a double, outside ["
                                        + metric.min() + ", " + metric.max() + "]"
                                : name + " = " + canonical + " " + metric.unit() + " is outside [" + metric.min() + ", "
                                        + metric.max() + "]",
                        name));
                continue;
            }
            good.add(new ValidatedRecord.Reading(name, canonical, metric.unit()));
        }
        if (good.isEmpty()) {
            return new ValidatedRecord(true, eventId, deviceId, ts, null, null, null, null, null, List.of(), rejects);
        }
        boolean hasFix = !f.location.absentOrNull();
        return new ValidatedRecord(
                false,
                eventId,
                deviceId,
                ts,
                hasFix ? f.lat : null,
                hasFix ? f.lon : null,
                f.batteryV.absentOrNull() ? null : f.batteryV.number,
                f.firmware.absentOrNull() ? null : f.firmware.text,
                f.seq.absentOrNull() ? null : f.seq.longValue,
                good,
                rejects);
    }

    /** The parser's message without its advice on parser features, which means nothing to a data engineer. */
    private static String message(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int advice = m.indexOf(": enable `");
        if (advice < 0) {
            advice = m.indexOf(" (from `StreamReadConstraints");
        }
        String text = advice >= 0 ? m.substring(0, advice) : m;
        if (text.startsWith("Non-standard token")) {
            text += " (NaN and Infinity are no JSON numbers)";
        }
        return clip(text.replace('\n', ' '));
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
