package dev.sensorhouse.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the device simulator writes: how many devices of which kind, over which event-time window,
 * how often they report, how many faults to inject, and how the raw files look. Validated once at
 * construction; every error names the command-line option and says what is expected.
 *
 * <p>The same config (including {@code seed}) always produces byte-identical raw files.
 *
 * @param lake lake root, a local folder or a Hadoop URI such as {@code s3a://bucket/prefix}; required
 * @param devices number of simulated devices; default {@value #DEFAULT_DEVICES}
 * @param start first event time; default {@link #DEFAULT_START} (2026-01-01T00:00:00Z)
 * @param duration length of the event-time window; default 1 day
 * @param interval time between two readings of one device; default 5 seconds
 * @param profile what the devices are; default {@link Profile#AGRICULTURE}
 * @param faults how many faults to inject; default {@link FaultLevel#DEFAULT} (about 3 % of events)
 * @param seed seed of every random choice; default {@value #DEFAULT_SEED}
 * @param gzip whether raw files are gzip-compressed ({@code .json.gz}); default false
 * @param filesPerHour raw files per arrival hour, devices split among them by hash; default {@value
 *     #DEFAULT_FILES_PER_HOUR}
 * @param registry whether the device registry is written too (daily snapshots and DynamoDB-stream
 *     CDC files, see {@link Registry}); default true. The events are the same either way: the
 *     registry's firmware updates and retirements shape them whether or not its files are written.
 */
public record SimulateConfig(
        String lake,
        int devices,
        Instant start,
        Duration duration,
        Duration interval,
        Profile profile,
        FaultLevel faults,
        long seed,
        boolean gzip,
        int filesPerHour,
        boolean registry) {

    public static final int DEFAULT_DEVICES = 200;
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");
    public static final Duration DEFAULT_DURATION = Duration.ofDays(1);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Profile DEFAULT_PROFILE = Profile.AGRICULTURE;
    public static final FaultLevel DEFAULT_FAULTS = FaultLevel.DEFAULT;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_FILES_PER_HOUR = 1;

    /** Upper bounds that keep a typo from filling a disk; far above any sensible simulation. */
    static final int MAX_DEVICES = 1_000_000;

    static final int MAX_FILES_PER_HOUR = 1_000;
    static final Duration MAX_DURATION = Duration.ofDays(3660);

    /** Too-late faults date events up to 90 days back; keep them after 1970 (epoch milliseconds). */
    static final Instant EARLIEST_START = Instant.parse("2000-01-01T00:00:00Z");

    static final Instant LATEST_START = Instant.parse("9000-01-01T00:00:00Z");

    /** The kind of device simulated; decides device ids and metrics. */
    public enum Profile {
        /** Soil probes on farms: temperature, humidity, soil_moisture, light, battery. */
        AGRICULTURE,
        /** Trucks in fleets: speed, acceleration, fuel_level, odometer, engine_temp. */
        VEHICLE;

        /** The option value, e.g. {@code agriculture}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses an option value, case-insensitively; the error names {@code --profile}. */
        public static Profile of(String text) {
            return parseEnum(Profile.class, "--profile", text);
        }
    }

    /** How many faults the simulator injects; see {@link FaultKind} for the rate of each kind. */
    public enum FaultLevel {
        /** No faults at all: every line is a good event. */
        NONE,
        /** About 0.2-0.3 % per kind (oversized_record 0.02 %), about 3 % of events in total. */
        DEFAULT,
        /** About 1.5 % per kind (oversized_record 0.2 %), about 20 % of events in total. */
        HEAVY;

        /** The option value, e.g. {@code default}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses an option value, case-insensitively; the error names {@code --faults}. */
        public static FaultLevel of(String text) {
            return parseEnum(FaultLevel.class, "--faults", text);
        }
    }

    public SimulateConfig {
        if (lake == null || lake.isBlank()) {
            throw new IllegalArgumentException(
                    "--lake must be a folder or a URI such as s3a://bucket/prefix, got nothing");
        }
        if (devices < 1) {
            throw new IllegalArgumentException("--devices must be at least 1, got " + devices);
        }
        if (devices > MAX_DEVICES) {
            throw new IllegalArgumentException("--devices must be at most " + MAX_DEVICES + ", got " + devices);
        }
        if (start == null) {
            throw new IllegalArgumentException(
                    "--start must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got nothing");
        }
        if (start.isBefore(EARLIEST_START) || start.isAfter(LATEST_START)) {
            throw new IllegalArgumentException(
                    "--start must be between " + EARLIEST_START + " and " + LATEST_START + ", got " + start);
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive (e.g. 1d, 6h, PT30M), got " + duration);
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    "--duration must be at most " + MAX_DURATION.toDays() + " days, got " + duration);
        }
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "--interval must be at least 1 millisecond (e.g. 5s, 43200ms), got " + interval);
        }
        if (interval.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("--interval must be a whole number of milliseconds, got " + interval);
        }
        if (profile == null) {
            throw new IllegalArgumentException("--profile must be one of " + codes(Profile.class) + ", got nothing");
        }
        if (faults == null) {
            throw new IllegalArgumentException("--faults must be one of " + codes(FaultLevel.class) + ", got nothing");
        }
        if (filesPerHour < 1 || filesPerHour > MAX_FILES_PER_HOUR) {
            throw new IllegalArgumentException(
                    "--files-per-hour must be between 1 and " + MAX_FILES_PER_HOUR + ", got " + filesPerHour);
        }
    }

    /** The defaults, writing to {@code lake}. */
    public static SimulateConfig defaults(String lake) {
        return new SimulateConfig(
                lake,
                DEFAULT_DEVICES,
                DEFAULT_START,
                DEFAULT_DURATION,
                DEFAULT_INTERVAL,
                DEFAULT_PROFILE,
                DEFAULT_FAULTS,
                DEFAULT_SEED,
                false,
                DEFAULT_FILES_PER_HOUR,
                true);
    }

    public SimulateConfig withLake(String value) {
        return new SimulateConfig(
                value, devices, start, duration, interval, profile, faults, seed, gzip, filesPerHour, registry);
    }

    public SimulateConfig withDevices(int value) {
        return new SimulateConfig(
                lake, value, start, duration, interval, profile, faults, seed, gzip, filesPerHour, registry);
    }

    public SimulateConfig withStart(Instant value) {
        return new SimulateConfig(
                lake, devices, value, duration, interval, profile, faults, seed, gzip, filesPerHour, registry);
    }

    public SimulateConfig withDuration(Duration value) {
        return new SimulateConfig(
                lake, devices, start, value, interval, profile, faults, seed, gzip, filesPerHour, registry);
    }

    public SimulateConfig withInterval(Duration value) {
        return new SimulateConfig(
                lake, devices, start, duration, value, profile, faults, seed, gzip, filesPerHour, registry);
    }

    public SimulateConfig withProfile(Profile value) {
        return new SimulateConfig(
                lake, devices, start, duration, interval, value, faults, seed, gzip, filesPerHour, registry);
    }

    public SimulateConfig withFaults(FaultLevel value) {
        return new SimulateConfig(
                lake, devices, start, duration, interval, profile, value, seed, gzip, filesPerHour, registry);
    }

    public SimulateConfig withSeed(long value) {
        return new SimulateConfig(
                lake, devices, start, duration, interval, profile, faults, value, gzip, filesPerHour, registry);
    }

    /** The same config writing gzip-compressed {@code .json.gz} files. */
    public SimulateConfig withGzip() {
        return new SimulateConfig(
                lake, devices, start, duration, interval, profile, faults, seed, true, filesPerHour, registry);
    }

    public SimulateConfig withFilesPerHour(int value) {
        return new SimulateConfig(
                lake, devices, start, duration, interval, profile, faults, seed, gzip, value, registry);
    }

    /** The same config without the device registry files (events unchanged). */
    public SimulateConfig withoutRegistry() {
        return new SimulateConfig(
                lake, devices, start, duration, interval, profile, faults, seed, gzip, filesPerHour, false);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String text) {
        if (text != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text.trim())) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + codes(type) + ", got '" + text + "'");
    }

    private static String codes(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
