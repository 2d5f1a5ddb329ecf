package dev.sensorhouse.simulate;

import java.nio.charset.StandardCharsets;

/**
 * The metrics one profile reports, in the order they are written, with their printed precision, the
 * units devices declare, and the catalog range ({@code schemas/contracts/metric-catalog.json}) that
 * out-of-range faults must leave and normal values must stay inside.
 */
final class MetricSet {
    static final MetricSet AGRICULTURE = new MetricSet(
            new String[] {"temperature", "humidity", "soil_moisture", "light", "battery"},
            new int[] {2, 1, 1, 1, 2},
            new double[] {-50, 0, 0, 0, 0},
            new double[] {70, 100, 100, 200_000, 5},
            new String[] {"celsius", null, null, null, null},
            0,
            6);

    static final MetricSet VEHICLE = new MetricSet(
            new String[] {"speed", "acceleration", "fuel_level", "odometer", "engine_temp"},
            new int[] {1, 2, 1, 1, 1},
            new double[] {0, -30, 0, 0, -50},
            new double[] {300, 30, 100, 3_000_000, 200},
            new String[] {"km_h", null, null, null, "celsius"},
            4,
            5);

    final String[] names;
    /** {@code "name":} as bytes, ready to append. */
    final byte[][] keys;

    final int[] decimals;
    final double[] min;
    final double[] max;
    /** The unit each metric declares in {@code units}, or null when the event leaves it implicit. */
    final String[] declaredUnits;

    /** The metric a fahrenheit fault converts (temperature or engine_temp). */
    final int fahrenheitMetric;

    final int locationDecimals;

    private MetricSet(
            String[] names,
            int[] decimals,
            double[] min,
            double[] max,
            String[] declaredUnits,
            int fahrenheitMetric,
            int locationDecimals) {
        this.names = names;
        this.keys = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            keys[i] = ('"' + names[i] + "\":").getBytes(StandardCharsets.US_ASCII);
        }
        this.decimals = decimals;
        this.min = min;
        this.max = max;
        this.declaredUnits = declaredUnits;
        this.fahrenheitMetric = fahrenheitMetric;
        this.locationDecimals = locationDecimals;
    }

    static MetricSet of(SimulateConfig.Profile profile) {
        return profile == SimulateConfig.Profile.AGRICULTURE ? AGRICULTURE : VEHICLE;
    }

    int size() {
        return names.length;
    }
}
