package dev.sensorhouse.speed;

/**
 * The speed layer's Redis keys: the one place that names them (the Lua script
 * {@code sensorhouse/speed/apply-readings.lua} spells the same names). Times are epoch milliseconds.
 *
 * <ul>
 *   <li>{@code sh:readings:<device>:<metric>}: sorted set of the device's valid readings of the last 7
 *       days (by event time); score = event time, member = {@code ts:value:event_id} (the event id
 *       keeps two readings of one millisecond apart and makes a redelivered reading the same member).
 *   <li>{@code sh:latest:<device>}: hash metric → {@code ts:value:event_id}, the newest reading of each
 *       metric (what a mobile app shows).
 *   <li>{@code sh:hourly:<device>:<metric>}: hash hour start → {@code count,min,max,sum} of the
 *       readings held, each counted once: the speed layer's hourly figures.
 *   <li>{@code sh:alert-state:<device>}: hash metric → {@code STATE:ts:event_id}, the alert state
 *       ({@code NORMAL}, {@code HIGH}, {@code LOW}) and the reading that decided it.
 *   <li>{@code sh:alerts}: stream of alerts ({@code XADD}; fields {@code alert_id, device_id, metric,
 *       state, previous_state, value, threshold, event_ts, event_id}), trimmed to about
 *       {@code --alerts-maxlen} entries; an app consumes it with {@code XREAD}.
 *   <li>{@code sh:speed:dirty}, {@code sh:speed:flushing}: sets of {@code device|metric|hour} whose
 *       hourly figures changed since the last upsert into the warehouse.
 *   <li>{@code sh:stream:progress}: hash shard → newest sequence number whose batch reached Redis, and
 *       {@code arrival_ms} → the newest arrival time that did; what the benchmark reads.
 * </ul>
 */
public final class SpeedKeys {
    public static final String ALERTS = "sh:alerts";
    public static final String DIRTY = "sh:speed:dirty";
    public static final String FLUSHING = "sh:speed:flushing";
    public static final String PROGRESS = "sh:stream:progress";
    /** The field of {@link #PROGRESS} holding the newest arrival time (epoch ms) that reached Redis. */
    public static final String PROGRESS_ARRIVAL = "arrival_ms";

    private SpeedKeys() {}

    public static String readings(String device, String metric) {
        return "sh:readings:" + device + ":" + metric;
    }

    public static String latest(String device) {
        return "sh:latest:" + device;
    }

    public static String hourly(String device, String metric) {
        return "sh:hourly:" + device + ":" + metric;
    }

    public static String alertState(String device) {
        return "sh:alert-state:" + device;
    }

    /** The pattern of every readings key of a device ({@code SCAN MATCH}). */
    public static String readingsPattern(String device) {
        return "sh:readings:" + device + ":*";
    }
}
