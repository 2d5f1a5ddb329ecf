package dev.sensorhouse.rollup;

import java.util.Locale;

/** The outcome of one rollup run, and its summary as the command prints it. */
public record RollupResult(String runId, int attempt, RollupCounts counts, double seconds) {
    /** Cleansed readings aggregated per second. */
    public double readingsPerSecond() {
        return seconds <= 0 ? 0 : counts.readingsRead() / seconds;
    }

    public String summary() {
        return String.format(
                Locale.ROOT,
                "rollup %s (attempt %d): %d cleanse runs, %,d readings, %,d hourly buckets touched (%,d written, %,d deleted), "
                        + "%,d daily buckets touched (%,d written, %,d deleted), %.1f s%n",
                runId,
                attempt,
                counts.cleanseRuns(),
                counts.readingsRead(),
                counts.bucketsTouched(),
                counts.hourlyRowsWritten(),
                counts.hourlyRowsDeleted(),
                counts.daysTouched(),
                counts.dailyRowsWritten(),
                counts.dailyRowsDeleted(),
                seconds);
    }
}
