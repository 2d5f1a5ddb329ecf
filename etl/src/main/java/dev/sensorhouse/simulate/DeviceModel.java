package dev.sensorhouse.simulate;

/**
 * The physical state of one simulated device. {@link #sample} is called with increasing times and
 * fills the metric values, location and battery voltage of the event; everything random comes from
 * the device's own seeded stream, so a device's readings depend only on the seed and its index.
 */
interface DeviceModel {
    void sample(long epochMillis, RawEvent out);

    /** The firmware version the device reports. */
    byte[] firmware();

    static DeviceModel create(SimulateConfig.Profile profile, long seed, int index, long start) {
        return profile == SimulateConfig.Profile.AGRICULTURE
                ? new AgricultureProbe(seed, index)
                : new VehicleTracker(seed, index, start);
    }

    /** Device id: {@code farm-007-probe-0123} or {@code fleet-03-truck-0123}. */
    static String deviceId(SimulateConfig.Profile profile, int index) {
        return profile == SimulateConfig.Profile.AGRICULTURE
                ? AgricultureProbe.deviceId(index)
                : VehicleTracker.deviceId(index);
    }

    /** Phase of the year in radians, 0 on 1 January (close enough for weather). */
    static double season(long epochMillis) {
        double days = epochMillis / 86_400_000.0;
        return 2 * Math.PI * ((days % 365.2425) / 365.2425);
    }

    /** Mean outdoor temperature in the Netherlands by season: about 3 °C in January, 17.5 °C in July. */
    static double seasonalMean(double season) {
        return 10 + 7.5 * Math.sin(season - 2 * Math.PI * 110 / 365);
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
