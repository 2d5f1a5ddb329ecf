package dev.sensorhouse.rollup;

import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.RunCounts;
import java.util.Locale;

/**
 * What a rollup run did. {@code hourlyRowsWritten}/{@code dailyRowsWritten} count rows inserted or
 * updated (a rerun over unchanged readings writes 0), {@code …Deleted} the buckets whose readings are
 * gone; {@code daysTouched} counts (device, metric, day) buckets recomputed.
 */
public record RollupCounts(
        long cleanseRuns,
        long readingsRead,
        long bucketsTouched,
        long hourlyRowsWritten,
        long hourlyRowsDeleted,
        long daysTouched,
        long dailyRowsWritten,
        long dailyRowsDeleted)
        implements RunCounts {
    public static final RollupCounts NONE = new RollupCounts(0, 0, 0, 0, 0, 0, 0, 0);

    @Override
    public String summary(JobResult<?> r) {
        return String.format(
                Locale.ROOT,
                "rollup %s (attempt %d): %d cleanse runs, %,d readings, %,d hourly buckets touched (%,d written, %,d deleted), "
                        + "%,d daily buckets touched (%,d written, %,d deleted), %.1f s%n",
                r.runId(),
                r.attempt(),
                cleanseRuns,
                readingsRead,
                bucketsTouched,
                hourlyRowsWritten,
                hourlyRowsDeleted,
                daysTouched,
                dailyRowsWritten,
                dailyRowsDeleted,
                r.seconds());
    }
}
