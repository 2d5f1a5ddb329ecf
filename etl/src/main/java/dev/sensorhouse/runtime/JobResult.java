package dev.sensorhouse.runtime;

/** A finished run of an {@link AuditedJob}: its id, attempt, counts and seconds. */
public record JobResult<C extends RunCounts>(String job, String runId, int attempt, C counts, double seconds) {
    /** {@code n} per second of this run (0 for a run too short to time). */
    public double perSecond(long n) {
        return seconds <= 0 ? 0 : n / seconds;
    }

    /** The summary the command prints to stdout. */
    public String summary() {
        return counts.summary(this);
    }
}
