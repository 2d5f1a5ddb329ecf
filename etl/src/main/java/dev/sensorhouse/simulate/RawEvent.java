package dev.sensorhouse.simulate;

/**
 * One simulated event before it becomes a JSON line, plus the fault to apply while writing it. A
 * mutable scratch object reused for every event of a shard, so generating millions of events
 * allocates almost nothing. Metric values are in the profile's order ({@link MetricSet}).
 */
final class RawEvent {
    /** How {@code ts} is written. */
    static final int TS_ISO_Z = 0;

    static final int TS_ISO_OFFSET = 1;
    static final int TS_EPOCH_MILLIS = 2;

    long idHi;
    long idLo;
    byte[] deviceId;
    int deviceIndex;
    long ts;
    int tsForm;
    int offsetMinutes;
    final double[] values;
    double lat;
    double lon;
    double batteryV;
    byte[] firmware;
    long seq;

    /** The fault to inject, or null. */
    FaultKind fault;

    /** Which variant of the fault (meaning depends on the kind). */
    int variant;

    /** The metric a reading-level fault or an invalid_type variant applies to. */
    int metric;

    /** Replacement text: an invalid device id or timestamp, an unknown metric name, a bad unit. */
    String text;

    /** A number the fault needs: the unknown metric's value, a truncation point in [0, 1). */
    double number;

    /** Padding length of an oversized record. */
    int padding;

    RawEvent(int metrics) {
        values = new double[metrics];
    }

    void clearFault() {
        fault = null;
        variant = 0;
        metric = -1;
        text = null;
        number = 0;
        padding = 0;
    }
}
