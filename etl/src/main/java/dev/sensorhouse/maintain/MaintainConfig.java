package dev.sensorhouse.maintain;

import java.time.Duration;
import java.util.Optional;

/**
 * The maintain job's configuration, parsed and validated once.
 *
 * @param lake lake root (local folder or s3a:// URI)
 * @param vacuumRetention VACUUM keeps the files any version of the last this-long references (default 7
 *     days); never below {@link #LONGEST_READER}
 * @param rawRetention delete raw files whose arrival hour is more than this before the newest hour a
 *     successful cleanse covered, and only files a successful cleanse covered; absent (the default):
 *     keep every raw file
 * @param quarantineRetention delete quarantine rows whose arrival date is more than this before the same
 *     reference; absent (the default): keep them, so they can be replayed after a catalog fix
 */
public record MaintainConfig(
        String lake,
        Duration vacuumRetention,
        Optional<Duration> rawRetention,
        Optional<Duration> quarantineRetention) {
    public static final Duration DEFAULT_VACUUM_RETENTION = Duration.ofDays(7);

    /**
     * The longest a reader may need files that a newer table version no longer references: a failed job
     * restores its tables to their versions before its start (jobs run well under a day), and a warehouse
     * load reads the change data feed since its last load (hourly). A load whose range was vacuumed away
     * loads the whole table instead, so a stalled warehouse costs a full reload, never wrong rows.
     */
    public static final Duration LONGEST_READER = Duration.ofHours(24);

    public MaintainConfig {
        Retention.vacuum(vacuumRetention, LONGEST_READER);
        rawRetention.filter(Duration::isNegative).ifPresent(d -> {
            throw new IllegalArgumentException("--raw-retention must not be negative, got " + d);
        });
        quarantineRetention.filter(Duration::isNegative).ifPresent(d -> {
            throw new IllegalArgumentException("--quarantine-retention must not be negative, got " + d);
        });
    }

    /** Defaults: vacuum after 7 days, keep raw files and quarantine rows. */
    public static MaintainConfig defaults(String lake) {
        return new MaintainConfig(lake, DEFAULT_VACUUM_RETENTION, Optional.empty(), Optional.empty());
    }
}
