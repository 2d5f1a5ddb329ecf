package dev.sensorhouse.rollup;

import java.util.LinkedHashMap;
import java.util.Map;

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
        long dailyRowsDeleted) {
    public static final RollupCounts NONE = new RollupCounts(0, 0, 0, 0, 0, 0, 0, 0);

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("cleanse_runs", cleanseRuns);
        m.put("readings_read", readingsRead);
        m.put("buckets_touched", bucketsTouched);
        m.put("hourly_rows_written", hourlyRowsWritten);
        m.put("hourly_rows_deleted", hourlyRowsDeleted);
        m.put("days_touched", daysTouched);
        m.put("daily_rows_written", dailyRowsWritten);
        m.put("daily_rows_deleted", dailyRowsDeleted);
        return m;
    }
}
