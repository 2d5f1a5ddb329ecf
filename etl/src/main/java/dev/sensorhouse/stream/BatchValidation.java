package dev.sensorhouse.stream;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.events.RawEventValidator;
import dev.sensorhouse.events.ValidatedRecord;
import dev.sensorhouse.speed.SpeedReading;
import dev.sensorhouse.zones.RawRecords;
import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure middle of a micro-batch: reads each stream record's bytes as cleanse reads a raw line
 * ({@link RawRecords}: JSON objects written back to back are separate events), validates each with the
 * same {@link RawEventValidator} as cleanse (one definition of the rules; units converted to canonical
 * units) against its arrival hour, and keeps the good readings with their metric's alert thresholds
 * from the catalog. An event the validator rejects yields no reading (it is in the raw zone, where
 * cleanse quarantines it).
 */
public final class BatchValidation implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long HOUR_MS = 3_600_000L;

    private final RawEventValidator validator;
    private final MetricCatalog catalog;
    private final int keepBytes;

    /** {@code keepBytes}: the longest record held whole (longer ones are oversized; their head is enough). */
    public BatchValidation(RawEventValidator validator, MetricCatalog catalog, int keepBytes) {
        this.validator = validator;
        this.catalog = catalog;
        this.keepBytes = keepBytes;
    }

    /** What validating a partition's records gave: readings, stream records, and events rejected. */
    public record Outcome(List<SpeedReading> readings, long records, long linesRejected) implements Serializable {}

    public Outcome validate(List<StreamRecord> records) {
        List<SpeedReading> readings = new ArrayList<>(records.size() * 4);
        long rejected = 0;
        for (StreamRecord r : records) {
            long hourMicros = (r.arrivalMillis() - Math.floorMod(r.arrivalMillis(), HOUR_MS)) * 1000;
            try (RawRecords events =
                    RawRecords.of(new ByteArrayInputStream(r.data()), RawRecords.Framing.JSON_OBJECTS, keepBytes)) {
                while (events.next()) {
                    if (events.blank()) {
                        continue;
                    }
                    ValidatedRecord v = validator.validate(
                            events.buffer(), events.offset(), events.length(), events.size(), hourMicros);
                    if (v.rejected()) {
                        rejected++;
                    } else {
                        add(v, readings);
                    }
                }
            }
        }
        return new Outcome(readings, records.size(), rejected);
    }

    private void add(ValidatedRecord v, List<SpeedReading> readings) {
        long tsMillis = Math.floorDiv(v.eventTsMicros(), 1000);
        for (ValidatedRecord.Reading reading : v.readings()) {
            MetricCatalog.Metric m = catalog.metric(reading.metric()).orElseThrow();
            readings.add(new SpeedReading(
                    v.deviceId(),
                    reading.metric(),
                    tsMillis,
                    reading.value(),
                    v.eventId(),
                    m.alertLow(),
                    m.alertHigh()));
        }
    }
}
