package dev.sensorhouse.cleanse;

import dev.sensorhouse.quarantine.ReasonCode;
import java.util.List;

/**
 * The outcome of validating one raw line: either an event with its good readings (and the readings it
 * rejected), or a rejected line with the reasons. Times are epoch microseconds, Spark's timestamp unit.
 */
public record ValidatedLine(
        boolean lineRejected,
        String eventId,
        String deviceId,
        long eventTsMicros,
        Double lat,
        Double lon,
        Double batteryV,
        String firmware,
        Long seq,
        List<Reading> readings,
        List<Reject> rejects) {

    /** A good reading in the catalog's canonical unit. */
    public record Reading(String metric, double value, String unit) {}

    /** One quarantined fault: a whole-line reason, or a reading-level reason for {@code metric}. */
    public record Reject(ReasonCode reason, String detail, String metric) {}

    static ValidatedLine rejected(ReasonCode reason, String detail, String eventId, String deviceId) {
        return new ValidatedLine(
                true,
                eventId,
                deviceId,
                0,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(new Reject(reason, detail, null)));
    }
}
