package dev.sensorhouse.stream;

import dev.sensorhouse.cleanse.RawEventValidator;
import dev.sensorhouse.cleanse.ValidatedLine;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.speed.SpeedReading;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure middle of a micro-batch: validates each record's line with the cleanse job's own
 * {@link RawEventValidator} (one definition of the rules; units converted to canonical units) against
 * its arrival hour, and keeps the good readings with their metric's alert thresholds from the catalog.
 * A line the validator rejects yields no reading (it is in the raw zone, where cleanse quarantines it).
 */
public final class BatchValidation implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long HOUR_MS = 3_600_000L;

    private final RawEventValidator validator;
    private final MetricCatalog catalog;

    public BatchValidation(RawEventValidator validator, MetricCatalog catalog) {
        this.validator = validator;
        this.catalog = catalog;
    }

    /** What validating a partition's records gave. */
    public record Outcome(List<SpeedReading> readings, long records, long linesRejected) implements Serializable {}

    public Outcome validate(List<StreamRecord> records) {
        List<SpeedReading> readings = new ArrayList<>(records.size() * 4);
        long rejected = 0;
        for (StreamRecord r : records) {
            long hourMicros = (r.arrivalMillis() - Math.floorMod(r.arrivalMillis(), HOUR_MS)) * 1000;
            ValidatedLine v = validator.validate(r.line(), hourMicros);
            if (v.lineRejected()) {
                rejected++;
                continue;
            }
            long tsMillis = Math.floorDiv(v.eventTsMicros(), 1000);
            for (ValidatedLine.Reading reading : v.readings()) {
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
        return new Outcome(readings, records.size(), rejected);
    }
}
