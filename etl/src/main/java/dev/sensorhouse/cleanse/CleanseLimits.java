package dev.sensorhouse.cleanse;

import java.io.Serializable;
import java.time.Duration;

/**
 * The cleanse job's limits, relative to each line's arrival hour (never to the wall clock).
 *
 * @param maxRecordBytes a line longer than this (UTF-8 bytes) is {@code oversized_record}; default 65,536
 * @param maxFutureSkew an event time after the end of its arrival hour plus this is {@code future_timestamp}; default 5 minutes
 * @param maxLateness an event time before the start of its arrival hour minus this is {@code too_late}; default 7 days
 */
public record CleanseLimits(int maxRecordBytes, Duration maxFutureSkew, Duration maxLateness) implements Serializable {
    public static final CleanseLimits DEFAULTS = new CleanseLimits(65_536, Duration.ofMinutes(5), Duration.ofDays(7));

    public CleanseLimits {
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
