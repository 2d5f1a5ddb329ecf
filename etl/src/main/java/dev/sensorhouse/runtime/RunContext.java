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

    RunContext(String job, String runId, int attempt, Progress progress, org.apache.spark.SparkContext spark) {
        this.job = job;
        this.runId = runId;
        this.attempt = attempt;
        this.progress = progress;
        this.spark = spark;
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

    /** The failpoint {@code <job>.<name>} ({@link Failpoints}), where crash tests stop the run. */
    public void failpoint(String name) {
        Failpoints.reach(job + "." + name);
    }
}
