package dev.sensorhouse.stream;

import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.RunCounts;
import java.util.Locale;

/**
 * What one {@code ingest-stream} run did: micro-batches, records taken, raw files written, lines the
 * validator rejected (they are in the raw zone for cleanse to quarantine), valid readings and those new
 * to Redis, alerts raised, alert rows written to the lake, and speed hours upserted into the warehouse.
 */
public record StreamCounts(
        long batches,
        long records,
        long rawFiles,
        long linesRejected,
        long readings,
        long readingsAdded,
        long alertsRaised,
        long alertRowsWritten,
        long speedHoursUpserted)
        implements RunCounts {
    public static final StreamCounts NONE = new StreamCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    @Override
    public String summary(JobResult<?> r) {
        StringBuilder s = new StringBuilder(
                String.format(Locale.ROOT, "ingest-stream run %s stopped after %.1f s%n", r.runId(), r.seconds()));
        asMap().forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-22s %,d%n", k, v)));
        return s.toString();
    }
}
