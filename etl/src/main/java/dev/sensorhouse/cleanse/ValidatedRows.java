package dev.sensorhouse.cleanse;

import dev.sensorhouse.events.RawEventValidator;
import dev.sensorhouse.events.ValidatedRecord;
import dev.sensorhouse.quarantine.RawInput;
import dev.sensorhouse.quarantine.ReasonCode;
import dev.sensorhouse.zones.RawFile;
import dev.sensorhouse.zones.RawRecords;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The rows validation makes of one raw file, built directly as Spark's binary rows (no external Row
 * conversion): one per record (an event with its good and rejected readings, or a rejected record),
 * one per blank line (no data, counted), and one for the unreadable rest of a damaged file. So every
 * line of a file has at least one row, and the first record of each line has {@code source_record} 1.
 * One instance per Spark task: it keeps the task's projection and the UTF-8 forms of repeated names.
 */
final class ValidatedRows {
    private static final StructType READING = new StructType()
            .add("metric", DataTypes.StringType)
            .add("value", DataTypes.DoubleType)
            .add("unit", DataTypes.StringType);
    private static final StructType REJECT = new StructType()
            .add("reason_code", DataTypes.StringType)
            .add("reason_detail", DataTypes.StringType)
            .add("metric", DataTypes.StringType)
            .add("scope", DataTypes.StringType);

    /**
     * One row per record, blank line or damage. {@code line_rejected} is true for rejected records,
     * blank lines ({@code blank_line}) and damage; {@code raw_line} and {@code raw_encoding} are kept
     * only where something was rejected.
     */
    static final StructType SCHEMA = new StructType()
            .add("line_rejected", DataTypes.BooleanType, false)
            .add("blank_line", DataTypes.BooleanType, false)
            .add("event_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("event_us", DataTypes.LongType, false)
            .add("lat", DataTypes.DoubleType)
            .add("lon", DataTypes.DoubleType)
            .add("battery_v", DataTypes.DoubleType)
            .add("firmware", DataTypes.StringType)
            .add("seq", DataTypes.LongType)
            .add("source_file", DataTypes.StringType, false)
            .add("source_line", DataTypes.LongType, false)
            .add("source_record", DataTypes.LongType, false)
            .add("arrival_us", DataTypes.LongType, false)
            .add("raw_line", DataTypes.StringType)
            .add("raw_encoding", DataTypes.StringType)
            .add("readings", new ArrayType(READING, false), false)
            .add("rejects", new ArrayType(REJECT, false), false);

    private final UnsafeProjection toUnsafe = UnsafeProjection.create(SCHEMA);
    private final Map<String, UTF8String> names = new HashMap<>();

    /** The rows of one file's records, read by {@code records} (closed at the end). */
    Iterator<InternalRow> of(RawRecords records, RawFile file, RawEventValidator validator) {
        long arrivalUs = file.arrivalHour().getEpochSecond() * 1_000_000L;
        UTF8String sourceFile = name(file.path());
        return new Iterator<>() {
            private InternalRow next = advance();
            private boolean damageDone;

            private InternalRow advance() {
                if (records.next()) {
                    if (records.blank()) {
                        return blank(sourceFile, records.line(), arrivalUs);
                    }
                    ValidatedRecord v = validator.validate(
                            records.buffer(), records.offset(), records.length(), records.size(), arrivalUs);
                    return record(v, records, sourceFile, arrivalUs);
                }
                if (!damageDone && records.damage().isPresent()) {
                    damageDone = true;
                    return damage(records.damage().get(), sourceFile, arrivalUs);
                }
                records.close();
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public InternalRow next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                InternalRow row = next;
                next = advance();
                return row;
            }
        };
    }

    private InternalRow record(ValidatedRecord v, RawRecords r, UTF8String sourceFile, long arrivalUs) {
        Object[] readings = new Object[v.readings().size()];
        for (int i = 0; i < readings.length; i++) {
            ValidatedRecord.Reading reading = v.readings().get(i);
            readings[i] = new GenericInternalRow(
                    new Object[] {name(reading.metric()), reading.value(), name(reading.unit())});
        }
        Object[] rejects = new Object[v.rejects().size()];
        for (int i = 0; i < rejects.length; i++) {
            ValidatedRecord.Reject reject = v.rejects().get(i);
            rejects[i] = reject(reject.reason(), reject.detail(), reject.metric());
        }
        RawInput raw = null;
        if (rejects.length > 0) {
            raw = r.size() > r.length()
                    ? RawInput.clipped(r.buffer(), r.offset(), r.length())
                    : RawInput.of(r.buffer(), r.offset(), r.length());
        }
        return project(new Object[] {
            v.rejected(),
            false,
            utf8(v.eventId()),
            utf8(v.deviceId()),
            v.eventTsMicros(),
            v.lat(),
            v.lon(),
            v.batteryV(),
            utf8(v.firmware()),
            v.seq(),
            sourceFile,
            r.line(),
            (long) r.recordInLine(),
            arrivalUs,
            raw == null ? null : UTF8String.fromBytes(raw.utf8()),
            raw == null ? null : name(raw.encoding()),
            new GenericArrayData(readings),
            new GenericArrayData(rejects)
        });
    }

    private InternalRow blank(UTF8String sourceFile, long line, long arrivalUs) {
        return project(new Object[] {
            true,
            true,
            null,
            null,
            0L,
            null,
            null,
            null,
            null,
            null,
            sourceFile,
            line,
            1L,
            arrivalUs,
            null,
            null,
            new GenericArrayData(new Object[0]),
            new GenericArrayData(new Object[0])
        });
    }

    private InternalRow damage(RawRecords.Damage d, UTF8String sourceFile, long arrivalUs) {
        RawInput raw = d.partialSize() > d.partial().length
                ? RawInput.clipped(d.partial(), 0, d.partial().length)
                : RawInput.of(d.partial(), 0, d.partial().length);
        String detail = String.format(
                java.util.Locale.ROOT,
                "the file cannot be read from line %d on (%s); the lines before it were processed; raw_line holds"
                        + " the %,d bytes read of line %d%s",
                d.line(),
                d.error(),
                d.partialSize(),
                d.line(),
                d.recordInLine() > 1 ? " from its record " + d.recordInLine() + " on" : "");
        return project(new Object[] {
            true,
            false,
            null,
            null,
            0L,
            null,
            null,
            null,
            null,
            null,
            sourceFile,
            d.line(),
            (long) d.recordInLine(),
            arrivalUs,
            UTF8String.fromBytes(raw.utf8()),
            name(raw.encoding()),
            new GenericArrayData(new Object[0]),
            new GenericArrayData(new Object[] {reject(ReasonCode.UNREADABLE_FILE, detail, null)})
        });
    }

    private GenericInternalRow reject(ReasonCode reason, String detail, String metric) {
        return new GenericInternalRow(new Object[] {
            name(reason.code()),
            UTF8String.fromString(detail),
            utf8(metric),
            name(reason.scope().code())
        });
    }

    private InternalRow project(Object[] values) {
        return toUnsafe.apply(new GenericInternalRow(values)).copy();
    }

    /** Interned UTF-8 forms of the few repeated names (metrics, units, reasons, files). */
    private UTF8String name(String s) {
        return names.computeIfAbsent(s, UTF8String::fromString);
    }

    private static UTF8String utf8(String s) {
        return s == null ? null : UTF8String.fromString(s);
    }
}
