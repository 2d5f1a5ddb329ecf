package dev.sensorhouse.zones;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of {@code control/job_runs}, the ETL audit table. {@code runId} names the unit of work
 * (the same inputs give the same id, so output rows tagged with it are identical on a rerun);
 * {@code attempt} counts the runs of that unit. {@code counts} holds every count the job reports.
 * {@code inputBytes} holds the size each input file had when the run read it (empty when the job's
 * inputs are not files, or the row was written before sizes were recorded).
 */
public record JobRun(
        String runId,
        int attempt,
        String job,
        String mode,
        Optional<Instant> windowStart,
        Optional<Instant> windowEnd,
        Status status,
        Instant startedAt,
        Instant endedAt,
        Optional<Instant> watermark,
        Map<String, Long> counts,
        List<String> inputFiles,
        Map<String, Long> inputBytes,
        Map<String, Long> tableVersions,
        Optional<String> error,
        String args) {

    /** A run whose inputs have no recorded sizes. */
    public JobRun(
            String runId,
            int attempt,
            String job,
            String mode,
            Optional<Instant> windowStart,
            Optional<Instant> windowEnd,
            Status status,
            Instant startedAt,
            Instant endedAt,
            Optional<Instant> watermark,
            Map<String, Long> counts,
            List<String> inputFiles,
            Map<String, Long> tableVersions,
            Optional<String> error,
            String args) {
        this(
                runId,
                attempt,
                job,
                mode,
                windowStart,
                windowEnd,
                status,
                startedAt,
                endedAt,
                watermark,
                counts,
                inputFiles,
                Map.of(),
                tableVersions,
                error,
                args);
    }

    public enum Status {
        SUCCEEDED,
        FAILED
    }

    public double seconds() {
        return (endedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }

    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }
}
