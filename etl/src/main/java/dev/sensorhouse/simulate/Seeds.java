package dev.sensorhouse.simulate;

/**
 * Derives independent seeds from the global seed, so each device, farm, fleet and file has its own
 * random stream and the output does not depend on the order or the thread in which they are
 * simulated.
 */
final class Seeds {
    /** Streams of one device: physics drives the values, delivery the ids, timestamps and delays. */
    static final long PHYSICS = 1, DELIVERY = 2, FAULTS = 3, SETUP = 4;

    /**
     * Streams of the device registry: a device's (or farm's) registry attributes, its registry changes,
     * the registry faults, and each location's changes ({@code LOCATION_CHANGES + location number}).
     */
    static final long REGISTRY = 5, REGISTRY_CHANGES = 6, REGISTRY_FAULTS = 7, LOCATION_CHANGES = 16;

    private Seeds() {}

    /** A well-mixed seed for {@code (seed, a, b)}; SplitMix64's finalizer over a golden-ratio sum. */
    static long of(long seed, long a, long b) {
        return mix(mix(mix(seed) + a) + b);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
