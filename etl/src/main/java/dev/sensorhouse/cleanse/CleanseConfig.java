package dev.sensorhouse.cleanse;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.events.EventLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The cleanse job's configuration, parsed and validated once.
 *
 * @param lake lake root (local folder or s3a:// URI)
 * @param from with {@code to}: process the raw arrival hours starting in [from, to), re-processing
 *     what was processed before; both absent: incremental, the raw files not yet cleansed
 * @param lookback incremental runs list raw hours from the bookmark minus this (default 7 days), so
 *     files added to older arrival hours (backfills, simulations) are still found; files already
 *     cleansed (same path and size) are skipped; new or changed files in older hours are reported
 *     as skipped, not read
 * @param catalog the metric catalog (default: the one shipped in schemas/)
 * @param limits record size, future skew and lateness limits
 */
public record CleanseConfig(
        String lake,
        Optional<Instant> from,
        Optional<Instant> to,
        Duration lookback,
        MetricCatalog catalog,
        EventLimits limits) {
    public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(7);

    /** An incremental run with the default lookback, catalog and limits. */
    public static CleanseConfig incremental(String lake) {
        return new CleanseConfig(
                lake,
                Optional.empty(),
                Optional.empty(),
                DEFAULT_LOOKBACK,
                MetricCatalog.defaults(),
                EventLimits.DEFAULTS);
    }

    /** A window run over the arrival hours starting in [from, to), with the default catalog and limits. */
    public static CleanseConfig window(String lake, Instant from, Instant to) {
        return new CleanseConfig(
                lake,
                Optional.of(from),
                Optional.of(to),
                DEFAULT_LOOKBACK,
                MetricCatalog.defaults(),
                EventLimits.DEFAULTS);
    }

    public CleanseConfig {
        if (lookback.isNegative()) {
            throw new IllegalArgumentException("--lookback must not be negative, got " + lookback);
        }
        if (from.isPresent() != to.isPresent()) {
            throw new IllegalArgumentException(
                    "--from and --to go together: give both for a window, or neither for an incremental run");
        }
        if (from.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("--from " + from.get() + " must be before --to " + to.get());
        }
    }

    public boolean incremental() {
        return from.isEmpty();
    }
}
