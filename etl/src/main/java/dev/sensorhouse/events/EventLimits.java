package dev.sensorhouse.events;

import java.io.Serializable;
import java.time.Duration;

/**
 * The limits of the raw event contract, relative to each record's arrival hour (never to the wall
 * clock). The cleanse job and the stream job validate with the same limits.
 *
 * @param maxRecordBytes a record longer than this (bytes) is {@code oversized_record}; default 65,536
 * @param maxFutureSkew an event time after the end of its arrival hour plus this is {@code future_timestamp}; default 5 minutes
 * @param maxLateness an event time before the start of its arrival hour minus this is {@code too_late}; default 7 days
 */
public record EventLimits(int maxRecordBytes, Duration maxFutureSkew, Duration maxLateness) implements Serializable {
    public static final EventLimits DEFAULTS = new EventLimits(65_536, Duration.ofMinutes(5), Duration.ofDays(7));

    public EventLimits {
        if (maxRecordBytes < 64) {
            throw new IllegalArgumentException("--max-record-bytes must be at least 64, got " + maxRecordBytes);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("--max-future-skew must not be negative, got " + maxFutureSkew);
        }
        if (maxLateness.isNegative()) {
            throw new IllegalArgumentException("--max-lateness must not be negative, got " + maxLateness);
        }
    }
}
