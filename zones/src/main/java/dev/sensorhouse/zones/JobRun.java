package dev.sensorhouse.zones;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of {@code control/job_runs}, the ETL audit table. {@code runId} names the unit of work
 * (the same inputs give the same id, so output rows tagged with it are identical on a rerun);
 * {@code attempt} counts the runs of that unit. {@code counts} holds every count the job reports.
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
        Map<String, Long> tableVersions,
        Optional<String> error,
        String args) {

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
