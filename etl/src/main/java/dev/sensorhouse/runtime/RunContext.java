package dev.sensorhouse.runtime;

/**
 * What the lifecycle gives a job's processing: the run's id and attempt, its progress log, Spark job
 * descriptions, and the job's named failpoints.
 */
public final class RunContext {
    private final String job;
    private final String runId;
    private final int attempt;
    private final Progress progress;
    private final org.apache.spark.SparkContext spark;
    private final dev.sensorhouse.zones.Lake lake;

    RunContext(
            String job,
            String runId,
            int attempt,
            Progress progress,
            org.apache.spark.SparkContext spark,
            dev.sensorhouse.zones.Lake lake) {
        this.job = job;
        this.runId = runId;
        this.attempt = attempt;
        this.progress = progress;
        this.spark = spark;
        this.lake = lake;
    }

    public String runId() {
        return runId;
    }

    public int attempt() {
        return attempt;
    }

    public Progress progress() {
        return progress;
    }

    /** Names the Spark work that follows, so the Spark UI reads like the job ({@code cleanse: write ...}). */
    public void stage(String description) {
        spark.setJobDescription(job + ": " + description);
    }

    /**
     * Runs one commit of a {@link AuditedJob.LockScope#COMMITS} job under the lake's writer lock,
     * waiting up to {@code wait} for it (a batch job already holds it for its thread, so this only
     * re-enters it).
     *
     * @throws dev.sensorhouse.zones.WriterLock.LockedException when another job holds it longer
     */
    public <T> T exclusive(java.time.Duration wait, java.util.function.Supplier<T> commit) {
        try (dev.sensorhouse.zones.WriterLock.Lease lock = lake.writerLock().acquire(job, wait, progress::note)) {
            return commit.get();
        }
    }

    /** The failpoint {@code <job>.<name>} ({@link Failpoints}), where crash tests stop the run. */
    public void failpoint(String name) {
        Failpoints.reach(job + "." + name);
    }
}
