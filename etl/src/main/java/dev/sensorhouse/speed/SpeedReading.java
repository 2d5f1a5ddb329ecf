package dev.sensorhouse.speed;

import java.io.Serializable;

/**
 * One valid reading for the speed layer, in canonical units, with the catalog's alert thresholds of
 * its metric (null when none).
 */
public record SpeedReading(
        String deviceId, String metric, long tsMillis, double value, String eventId, Double alertLow, Double alertHigh)
        implements Serializable {}
