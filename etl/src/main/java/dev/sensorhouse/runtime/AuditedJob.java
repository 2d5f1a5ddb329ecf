package dev.sensorhouse.runtime;

import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.JobRuns;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.WriterLock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkContext;

/**
 * The run lifecycle every batch job shares (after Iceberg's Spark actions): a job supplies what it
 * selects and how it processes it; this class owns everything around that.
 *
 * <ol>
 *   <li>Take the lake's writer lock ({@link WriterLock}), waiting up to the lake's lock wait. A batch
 *       job holds it for the whole run; a long-running job ({@link LockScope#COMMITS}) only while it
 *       selects, around each of its commits, and while it records the run.
 *   <li>Read the run history ({@code control/job_runs}) and let the job {@link #select} its work.
 *   <li>Derive the run id from everything that decides the output ({@link #identity}; the same work
 *       gets the same id, {@link RunIds}) and the attempt (earlier rows with that id, plus one).
 *   <li>Make sure the job's tables exist and note their versions.
 *   <li>Label the Spark work with the run ({@code setJobGroup}), tag every Delta commit with the run id
 *       (commit {@code userMetadata}), and let the job {@link #process} the selection.
 *   <li>Check that the counts reconcile, reach the failpoint {@code <job>.before-run-record}, check the
 *       lock was not lost, and append the SUCCEEDED row; that row moves the job's bookmark.
 *   <li>On any failure: restore each table to its version before the run, but only across commits
 *       tagged with this run's id (never another writer's; a {@link LockScope#COMMITS} job keeps its
 *       commits), append a FAILED row with the error, and throw {@link JobFailedException}.
 *   <li>Release the job group, the commit tag and the lock.
 * </ol>
 *
 * @param <S> what a run selects (files, runs, a window)
 * @param <C> the run's counts
 */
public abstract class AuditedJob<S, C extends RunCounts> {
    /** The Delta setting whose value every commit records as its {@code userMetadata}. */
    static final String COMMIT_TAG = "spark.databricks.delta.commitInfo.userMetadata";

    protected final Lake lake;
    private final String job;
    private final String args;

    protected AuditedJob(Lake lake, String job, String args) {
        this.lake = lake;
        this.job = job;
        this.args = args;
    }

    /** The job's name, as in {@code control/job_runs.job}, the progress lines and the failpoints. */
    public final String name() {
        return job;
    }

    /** Chooses the run's work from the run history (every run of every job, oldest first). */
    protected abstract S select(List<JobRun> history);

    /** Everything that decides the run's output: the run id is a hash of it. */
    protected abstract List<String> identity(S selection);

    /** The selection in a few words, for the run's first progress line. */
    protected abstract String describe(S selection);

    /** The lake tables the run may write, restored to their versions before the run on failure. */
    protected abstract List<LakeTable> tables();

    /** Does the work. Runs with the lock held, after {@link #tables()} exist. */
    protected abstract C process(S selection, RunContext run);

    /** The counts of a run that did nothing, as a FAILED row records them. */
    protected abstract C none();

    /** What the run covers, as its row records it. */
    protected abstract RunScope scope(S selection);

    /** How long a run holds the lake's writer lock. */
    public enum LockScope {
        /**
         * The whole run: a batch job, whose commits are steps of one unit of work, undone together when
         * the run fails.
         */
        RUN,
        /**
         * While it selects and records, and around each of its own commits ({@link RunContext#exclusive}):
         * a long-running job (the stream), whose every commit is complete on its own and is kept when the
         * run fails later.
         */
        COMMITS
    }

    /** The lock scope of this job; {@link LockScope#RUN} unless a job says otherwise. */
    protected LockScope lockScope() {
        return LockScope.RUN;
    }

    /** Runs the job once: see the class comment for the steps. */
    public final JobResult<C> run() {
        Instant started = Instant.now();
        Progress progress = new Progress(job);
        WriterLock.Lease lock = null;
        try {
            lock = lock(progress);
            JobRuns jobRuns = lake.jobRuns();
            List<JobRun> history = jobRuns.all();
            S selection = select(history);
            String runId = RunIds.of(job, identity(selection));
            int attempt =
                    (int) history.stream().filter(r -> r.runId().equals(runId)).count() + 1;
            progress.step("run %s: %s", runId, describe(selection));

            List<LakeTable> tables = tables();
            Map<LakeTable, Long> before = new LinkedHashMap<>();
            for (LakeTable t : tables) {
                before.put(t.ensureExists(), t.version());
            }
            if (lockScope() == LockScope.COMMITS) {
                lock.close();
                lock = null;
            }
            SparkContext spark = lake.spark().sparkContext();
            spark.setJobGroup(runId, job + " " + runId, false);
            lake.spark().conf().set(COMMIT_TAG, runId);
            try {
                C counts = process(selection, new RunContext(job, runId, attempt, progress, spark, lake));
                if (!counts.reconciles()) {
                    throw new JobFailedException("reconciliation failed: " + counts.reconciliation());
                }
                Failpoints.reach(job + ".before-run-record");
                if (lock == null) {
                    lock = lock(progress);
                }
                if (lock.lost()) {
                    throw new JobFailedException(
                            "the lake's writer lock was taken over by another run while this run held it");
                }
                Instant ended = Instant.now();
                jobRuns.append(
                        row(runId, attempt, selection, JobRun.Status.SUCCEEDED, started, ended, counts, tables, null));
                progress.step("recorded run %s in control/job_runs", runId);
                return new JobResult<>(job, runId, attempt, counts, Durations.seconds(started, ended));
            } catch (Exception e) {
                String error = JobFailedException.describe(e);
                try {
                    if (lock == null) {
                        lock = lock(progress);
                    }
                    if (lockScope() == LockScope.RUN) {
                        List<String> kept = restoreOwnCommits(before, runId);
                        if (!kept.isEmpty()) {
                            error += "; not restored, another writer committed since: " + String.join(", ", kept);
                        }
                    }
                    jobRuns.append(row(
                            runId,
                            attempt,
                            selection,
                            JobRun.Status.FAILED,
                            started,
                            Instant.now(),
                            none(),
                            tables,
                            error));
                } catch (RuntimeException recordFailure) {
                    e.addSuppressed(recordFailure);
                }
                throw e instanceof JobFailedException failed
                        ? failed
                        : new JobFailedException(job + " run " + runId + " failed: " + error, e);
            } finally {
                lake.spark().conf().unset(COMMIT_TAG);
                spark.clearJobGroup();
            }
        } catch (WriterLock.LockedException e) {
            throw new JobFailedException(job + ": " + e.getMessage(), e);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private WriterLock.Lease lock(Progress progress) {
        return lake.writerLock().acquire(job, lake.lockWait(), progress::note);
    }

    /**
     * Restores each table to its version before the run when every commit since carries this run's
     * tag; a table with another writer's commit after ours is restored only back to that commit.
     * Returns the tables whose own commits could not all be undone.
     */
    private static List<String> restoreOwnCommits(Map<LakeTable, Long> before, String runId) {
        List<String> kept = new ArrayList<>();
        before.forEach((table, version) -> {
            long target = version;
            boolean ownBeforeForeign = false;
            for (long v = version + 1; v <= table.version(); v++) {
                if (!table.commitTag(v).map(runId::equals).orElse(false)) {
                    ownBeforeForeign |= target < v - 1;
                    target = v;
                }
            }
            table.restore(target);
            if (ownBeforeForeign || target > version) {
                kept.add(table.contract().table() + " (restored to version " + target + ", not " + version + ")");
            }
        });
        return kept;
    }

    private JobRun row(
            String runId,
            int attempt,
            S selection,
            JobRun.Status status,
            Instant started,
            Instant ended,
            C counts,
            List<LakeTable> tables,
            String error) {
        RunScope scope = scope(selection);
        return new JobRun(
                runId,
                attempt,
                job,
                scope.mode(),
                scope.windowStart(),
                scope.windowEnd(),
                status,
                started,
                ended,
                scope.watermark(),
                counts.asMap(),
                scope.inputs(),
                scope.inputBytes(),
                LakeTable.versions(tables.toArray(LakeTable[]::new)),
                Optional.ofNullable(error),
                args);
    }
}
