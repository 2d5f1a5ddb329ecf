package dev.sensorhouse.simulate;

import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link RawEvent} as one JSON line (no newline), applying its fault while writing. Field
 * order: event_id, device_id, ts, metrics, units, location, battery_v, firmware, seq,
 * schema_version.
 *
 * <p>Each fault breaks exactly one rule of the cleanse job's validation order and nothing before it:
 * a line with a missing field is otherwise valid JSON, an invalid type keeps every field present, an
 * invalid device id is still a string, and so on.
 */
final class EventJson {
    /** Variants of {@link FaultKind#MALFORMED_JSON}. */
    static final int MALFORMED_TRUNCATED = 0, MALFORMED_MISSING_COMMA = 1, MALFORMED_UNQUOTED_KEY = 2;

    static final int MALFORMED_VARIANTS = 3;

    /** Variants of {@link FaultKind#MISSING_FIELD}: which required field is dropped. */
    static final int MISSING_EVENT_ID = 0, MISSING_DEVICE_ID = 1, MISSING_TS = 2, MISSING_METRICS = 3;

    static final int MISSING_VARIANTS = 4;

    /** Variants of {@link FaultKind#INVALID_TYPE}. */
    static final int TYPE_TS_BOOLEAN = 0,
            TYPE_METRICS_ARRAY = 1,
            TYPE_METRIC_STRING = 2,
            TYPE_DEVICE_ID_NUMBER = 3,
            TYPE_SEQ_STRING = 4;

    static final int TYPE_VARIANTS = 5;

    private static final byte[] EVENT_ID = ascii("\"event_id\":\"");
    private static final byte[] DEVICE_ID = ascii("\"device_id\":");
    private static final byte[] TS = ascii("\"ts\":");
    private static final byte[] METRICS = ascii("\"metrics\":");
    private static final byte[] UNITS = ascii(",\"units\":{");
    private static final byte[] LAT = ascii(",\"location\":{\"lat\":");
    private static final byte[] LON = ascii(",\"lon\":");
    private static final byte[] BATTERY = ascii("},\"battery_v\":");
    private static final byte[] FIRMWARE = ascii(",\"firmware\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] SEQ_UNQUOTED = ascii("\",seq:");
    private static final byte[] SCHEMA_VERSION = ascii(",\"schema_version\":1");
    private static final byte[] PADDING_KEY = ascii(",\"debug_dump\":\"");
    private static final byte[] PADDING = padding(110_000);

    private EventJson() {}

    static void write(LineBuilder b, RawEvent e, MetricSet set) {
        FaultKind fault = e.fault;
        int variant = e.variant;
        boolean missing = fault == FaultKind.MISSING_FIELD;
        boolean typed = fault == FaultKind.INVALID_TYPE;
        b.append('{');
        boolean first = true;
        if (!(missing && variant == MISSING_EVENT_ID)) {
            b.append(EVENT_ID).appendUuid(e.idHi, e.idLo).append('"');
            first = false;
        }
        if (!(missing && variant == MISSING_DEVICE_ID)) {
            if (!first) {
                b.append(',');
            }
            b.append(DEVICE_ID);
            if (typed && variant == TYPE_DEVICE_ID_NUMBER) {
                b.append(e.deviceIndex + 1);
            } else if (fault == FaultKind.INVALID_DEVICE_ID) {
                b.append('"').append(e.text).append('"');
            } else {
                b.append('"').append(e.deviceId).append('"');
            }
            first = false;
        }
        if (!(missing && variant == MISSING_TS)) {
            // The missing-comma variant of malformed_json drops the comma before "ts".
            if (!first) {
                b.append(fault == FaultKind.MALFORMED_JSON && variant == MALFORMED_MISSING_COMMA ? ' ' : ',');
            }
            b.append(TS);
            if (typed && variant == TYPE_TS_BOOLEAN) {
                b.append("true");
            } else if (fault == FaultKind.INVALID_TIMESTAMP) {
                b.append('"').append(e.text).append('"');
            } else {
                timestamp(b, e);
            }
            first = false;
        }
        if (!(missing && variant == MISSING_METRICS)) {
            if (!first) {
                b.append(',');
            }
            b.append(METRICS);
            metrics(b, e, set, typed && variant == TYPE_METRICS_ARRAY, typed && variant == TYPE_METRIC_STRING);
        }
        units(b, e, set);
        b.append(LAT).appendDecimal(e.lat, set.locationDecimals);
        b.append(LON).appendDecimal(e.lon, set.locationDecimals);
        b.append(BATTERY).appendDecimal(e.batteryV, 2);
        b.append(FIRMWARE).append(e.firmware);
        if (fault == FaultKind.MALFORMED_JSON && variant == MALFORMED_UNQUOTED_KEY) {
            b.append(SEQ_UNQUOTED).append(e.seq);
        } else if (typed && variant == TYPE_SEQ_STRING) {
            b.append(SEQ).append('"').append(e.seq).append('"');
        } else {
            b.append(SEQ).append(e.seq);
        }
        b.append(SCHEMA_VERSION);
        if (fault == FaultKind.OVERSIZED_RECORD) {
            b.append(PADDING_KEY);
            int left = e.padding;
            while (left > 0) {
                int n = Math.min(left, PADDING.length);
                b.append(PADDING, 0, n);
                left -= n;
            }
            b.append('"');
        }
        b.append('}');
        if (fault == FaultKind.MALFORMED_JSON && variant == MALFORMED_TRUNCATED) {
            // Any proper prefix of a JSON object is invalid JSON: the closing brace is missing. Cutting
            // after the first third keeps the event id, so no two truncated lines are identical.
            int from = b.length / 3;
            b.truncate(Math.min(from + (int) (e.number * (b.length - 1 - from)), b.length - 1));
        }
    }

    private static void timestamp(LineBuilder b, RawEvent e) {
        switch (e.tsForm) {
            case RawEvent.TS_EPOCH_MILLIS -> b.append(e.ts);
            case RawEvent.TS_ISO_OFFSET ->
                b.append('"')
                        .appendLocalDateTime(e.ts, e.offsetMinutes)
                        .appendOffset(e.offsetMinutes)
                        .append('"');
            default -> b.append('"').appendLocalDateTime(e.ts, 0).append('Z').append('"');
        }
    }

    private static void metrics(LineBuilder b, RawEvent e, MetricSet set, boolean asArray, boolean oneAsString) {
        if (asArray) {
            b.append('[');
            for (int i = 0; i < set.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.appendDecimal(e.values[i], set.decimals[i]);
            }
            b.append(']');
            return;
        }
        b.append('{');
        for (int i = 0; i < set.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(set.keys[i]);
            if (oneAsString && i == e.metric) {
                b.append('"').appendDecimal(e.values[i], set.decimals[i]).append('"');
            } else {
                b.appendDecimal(e.values[i], set.decimals[i]);
            }
        }
        if (e.fault == FaultKind.UNKNOWN_METRIC) {
            b.append(",\"").append(e.text).append("\":").appendDecimal(e.number, 2);
        }
        b.append('}');
    }

    /** The declared units; a bad or fahrenheit unit replaces the metric's declared unit or adds one. */
    private static void units(LineBuilder b, RawEvent e, MetricSet set) {
        boolean override = e.fault == FaultKind.INVALID_UNIT || e.fault == FaultKind.FAHRENHEIT;
        b.append(UNITS);
        boolean first = true;
        for (int i = 0; i < set.size(); i++) {
            String unit = override && i == e.metric ? e.text : set.declaredUnits[i];
            if (unit != null) {
                if (!first) {
                    b.append(',');
                }
                b.append('"').append(set.names[i]).append("\":\"").append(unit).append('"');
                first = false;
            }
        }
        b.append('}');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Base64-looking filler, as a device dumping a binary blob would send. */
    private static byte[] padding(int n) {
        byte[] alphabet = ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        byte[] out = new byte[n];
        long x = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = alphabet[(int) (x & 63)];
        }
        return out;
    }
}
