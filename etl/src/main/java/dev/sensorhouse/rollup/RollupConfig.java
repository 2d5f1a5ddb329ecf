package dev.sensorhouse.rollup;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The rollup job's configuration, parsed and validated once.
 *
 * @param lake lake root (local folder or s3a:// URI)
 * @param from with {@code to}: also recompute every hour of event time in [from, to) (whole hours; the
 *     bounds are truncated to the hour, {@code to} rounded up), for example after a catalog fix; both
 *     absent (the default): only the buckets touched by cleanse runs since the last successful rollup
 */
public record RollupConfig(String lake, Optional<Instant> from, Optional<Instant> to) {
    /** An incremental run. */
    public static RollupConfig incremental(String lake) {
        return new RollupConfig(lake, Optional.empty(), Optional.empty());
    }

    /** A run that recomputes the event hours in [from, to) besides the incremental buckets. */
    public static RollupConfig window(String lake, Instant from, Instant to) {
        return new RollupConfig(lake, Optional.of(from), Optional.of(to));
    }

    public RollupConfig {
        if (from.isPresent() != to.isPresent()) {
            throw new IllegalArgumentException(
                    "--from and --to go together: give both to recompute a window of event time, or neither for an incremental run");
        }
        if (from.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("--from " + from.get() + " must be before --to " + to.get());
        }
        from = from.map(f -> f.truncatedTo(ChronoUnit.HOURS));
        to = to.map(t -> t.truncatedTo(ChronoUnit.HOURS).equals(t)
                ? t
                : t.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
    }

    public boolean incremental() {
        return from.isEmpty();
    }
}
