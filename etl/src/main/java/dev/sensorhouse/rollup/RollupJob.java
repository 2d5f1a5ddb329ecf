package dev.sensorhouse.rollup;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.dimensions.Enrichment;
import dev.sensorhouse.runtime.Columns;
import dev.sensorhouse.runtime.Durations;
import dev.sensorhouse.runtime.Failpoints;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.runtime.RunIds;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.JobRuns;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableDiff;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Rolls cleansed readings up into {@code aggregated/readings_hourly} and {@code aggregated/readings_daily},
 * recomputing only the buckets new data touched, so late data corrects its old hours and days.
 *
 * <ol>
 *   <li>Select the cleanse runs to cover: the SUCCEEDED cleanse runs that ended after the bookmark (the
 *       newest cleanse run end covered by a successful rollup), ordered by end, run id and attempt.
 *   <li>Find the touched hourly buckets: the distinct (device_id, metric, hour of event_ts) of the
 *       cleansed readings tagged with those runs' ids (every attempt's rows carry the same id), plus,
 *       with {@code --from/--to}, every bucket of readings or hourly rows in that event-time window.
 *   <li>Recompute those buckets from {@code cleansed/readings} (only their event dates, then a
 *       semi-join on the buckets) and compare with the stored rows; MERGE only the differences into
 *       hourly on (device_id, metric, hour_start) within the touched event_date partitions: changed
 *       and new buckets are written, buckets without readings any more are deleted, files holding
 *       no changed bucket are not rewritten. No difference, no commit.
 *   <li>Recompute the touched days (device_id, metric, day) from hourly, never from readings, and
 *       MERGE the differences into daily the same way.
 *   <li>Append the run's row to {@code control/job_runs}; that row moves the bookmark. A run killed
 *       before it leaves valid tables (each MERGE is one commit) and its successor covers the same
 *       cleanse runs again, finding the hourly buckets already right.
 * </ol>
 *
 * <p>Dangers: one writer per lake at a time. A cleanse rerun that removes every reading of a bucket
 * (for example a window re-cleanse with a stricter catalog) leaves no row tagged with its run id in
 * that bucket, so the incremental rollup does not see it: recompute such hours with
 * {@code --from/--to}.
 */
public final class RollupJob {
    public static final String JOB = "rollup";
    static final String CLEANSE_JOB = "cleanse";

    private final Lake lake;
    private final RollupConfig config;
    private final String args;

    public RollupJob(Lake lake, RollupConfig config, String args) {
        this.lake = lake;
        this.config = config;
        this.args = args;
    }

    /** The cleanse runs a rollup covers and the bookmark it leaves. */
    record Selection(List<JobRun> cleanseRuns, Optional<Instant> watermark) {
        List<String> runIds() {
            return cleanseRuns.stream().map(JobRun::runId).distinct().toList();
        }
    }

    public RollupResult run() {
        Instant started = Instant.now();
        Progress progress = new Progress(JOB);
        JobRuns jobRuns = lake.jobRuns();
        List<JobRun> history = jobRuns.all();
        Selection selection = select(history);
        String runId = runId(selection);
        int attempt =
                (int) history.stream().filter(r -> r.runId().equals(runId)).count() + 1;
        progress.step(
                "run %s: %d cleanse runs since %s%s",
                runId,
                selection.cleanseRuns().size(),
                bookmark(history).map(Instant::toString).orElse("the beginning"),
                config.incremental()
                        ? ""
                        : ", window " + config.from().get() + " .. "
                                + config.to().get());

        LakeTable hourly = lake.readingsHourly().ensureExists();
        LakeTable daily = lake.readingsDaily().ensureExists();
        long hourlyBefore = hourly.version();
        long dailyBefore = daily.version();
        lake.spark().sparkContext().setJobGroup(runId, "rollup " + runId, false);
        try {
            RollupCounts counts = selection.cleanseRuns().isEmpty() && config.incremental()
                    ? RollupCounts.NONE
                    : process(selection, hourly, daily, progress);
            Failpoints.reach("rollup.before-run-record");
            Instant ended = Instant.now();
            jobRuns.append(record(
                    runId,
                    attempt,
                    selection,
                    JobRun.Status.SUCCEEDED,
                    started,
                    ended,
                    counts,
                    LakeTable.versions(hourly, daily),
                    Optional.empty()));
            progress.step("recorded run %s in control/job_runs", runId);
            return new RollupResult(runId, attempt, counts, Durations.seconds(started, ended));
        } catch (Exception e) {
            hourly.restore(hourlyBefore);
            daily.restore(dailyBefore);
            String error = JobFailedException.describe(e);
            try {
                jobRuns.append(record(
                        runId,
                        attempt,
                        selection,
                        JobRun.Status.FAILED,
                        started,
                        Instant.now(),
                        RollupCounts.NONE,
                        LakeTable.versions(hourly, daily),
                        Optional.of(error)));
            } catch (RuntimeException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            throw e instanceof JobFailedException failed
                    ? failed
                    : new JobFailedException("rollup run " + runId + " failed: " + e.getMessage(), e);
        } finally {
            lake.spark().sparkContext().clearJobGroup();
        }
    }

    private RollupCounts process(Selection selection, LakeTable hourly, LakeTable daily, Progress progress) {
        Dataset<Row> readings = lake.cleansedReadings().ensureExists().read();
        describe("find the touched hourly buckets");
        Dataset<Row> touched = Rollup.buckets(
                readings.filter(col("run_id").isin(selection.runIds().toArray())));
        if (!config.incremental()) {
            Timestamp from = Timestamp.from(config.from().get());
            Timestamp to = Timestamp.from(config.to().get());
            touched = touched.union(Rollup.buckets(readings.filter(
                            col("event_ts").geq(lit(from)).and(col("event_ts").lt(lit(to))))))
                    .union(hourly.read()
                            .filter(col("hour_start")
                                    .geq(lit(from))
                                    .and(col("hour_start").lt(lit(to))))
                            .select(Columns.of(Rollup.HOURLY_KEYS)))
                    .distinct();
        }
        // A checkpoint, not a cache: Delta re-caches cached plans that read a table it writes, which would
        // recompute the window's buckets from the merged hourly table.
        touched = touched.localCheckpoint(true);
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            List<Row> perDate = touched.groupBy(to_date(col("hour_start")).as("d"))
                    .count()
                    .orderBy("d")
                    .collectAsList();
            List<Date> dates = perDate.stream().map(r -> r.getDate(0)).toList();
            long buckets = perDate.stream().mapToLong(r -> r.getLong(1)).sum();
            progress.step("%,d hourly buckets touched on %d event dates", buckets, dates.size());
            if (dates.isEmpty()) {
                return new RollupCounts(selection.cleanseRuns().size(), 0, 0, 0, 0, 0, 0, 0);
            }
            Object[] dateValues = dates.toArray();
            String datesSql = dates.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));

            describe("recompute hourly buckets");
            Dataset<Row> recomputedHourly = Rollup.hourly(
                            readings.filter(col("event_date").isin(dateValues))
                                    .withColumn("hour_start", date_trunc("hour", col("event_ts")))
                                    .join(touched, Columns.seq(Rollup.HOURLY_KEYS), "left_semi"))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(recomputedHourly);
            Dataset<Row> storedHourly = hourly.read()
                    .filter(col("event_date").isin(dateValues))
                    .join(touched, Columns.seq(Rollup.HOURLY_KEYS), "left_semi");
            long readingsRead = recomputedHourly
                    .agg(coalesce(sum("value_count"), lit(0L)))
                    .head()
                    .getLong(0);
            LakeTable.Merged hourlyWrites = hourly.applyChanges(
                    TableDiff.changes(keyed(recomputedHourly), storedHourly, Rollup.HOURLY_KEYS, Rollup.VALUES),
                    Rollup.HOURLY_KEYS,
                    "t.event_date IN (" + datesSql + ")");
            progress.step(
                    "hourly: %,d readings in %,d buckets; %,d rows written, %,d deleted; version %d",
                    readingsRead, buckets, hourlyWrites.written(), hourlyWrites.deleted(), hourly.version());
            Failpoints.reach("rollup.after-hourly-commit");

            describe("recompute daily buckets");
            Dataset<Row> touchedDays = touched.select(
                            col("device_id"),
                            col("metric"),
                            to_date(col("hour_start")).as("day"))
                    .distinct()
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(touchedDays);
            long days = touchedDays.count();
            Dataset<Row> recomputedDaily = Rollup.daily(hourly.read()
                    .filter(col("event_date").isin(dateValues))
                    .join(
                            touchedDays.withColumnRenamed("day", "event_date"),
                            Columns.seq(List.of("device_id", "metric", "event_date")),
                            "left_semi"));
            Dataset<Row> storedDaily = daily.read()
                    .filter(col("day").isin(dateValues))
                    .join(touchedDays, Columns.seq(Rollup.DAILY_KEYS), "left_semi");
            LakeTable.Merged dailyWrites = daily.applyChanges(
                    TableDiff.changes(keyed(recomputedDaily), storedDaily, Rollup.DAILY_KEYS, Rollup.VALUES),
                    Rollup.DAILY_KEYS,
                    "t.day IN (" + datesSql + ")");
            progress.step(
                    "daily: %,d buckets touched; %,d rows written, %,d deleted; version %d",
                    days, dailyWrites.written(), dailyWrites.deleted(), daily.version());
            return new RollupCounts(
                    selection.cleanseRuns().size(),
                    readingsRead,
                    buckets,
                    hourlyWrites.written(),
                    hourlyWrites.deleted(),
                    days,
                    dailyWrites.written(),
                    dailyWrites.deleted());
        } finally {
            cached.forEach(d -> d.unpersist(false));
        }
    }

    /** Buckets with the dimension keys of the versions valid at their first reading. */
    private Dataset<Row> keyed(Dataset<Row> buckets) {
        return Enrichment.withKeys(
                buckets, "first_ts", lake.devices().read(), lake.locations().read());
    }

    private void describe(String stage) {
        lake.spark().sparkContext().setJobDescription("rollup: " + stage);
    }

    /** The newest cleanse run end covered by a successful rollup. */
    static Optional<Instant> bookmark(List<JobRun> history) {
        return history.stream()
                .filter(r -> r.job().equals(JOB) && r.status() == JobRun.Status.SUCCEEDED)
                .map(JobRun::watermark)
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    /** The SUCCEEDED cleanse runs that ended after the bookmark, oldest first, and the bookmark after them. */
    static Selection select(List<JobRun> history) {
        Optional<Instant> bookmark = bookmark(history);
        List<JobRun> pending = history.stream()
                .filter(r -> r.job().equals(CLEANSE_JOB) && r.status() == JobRun.Status.SUCCEEDED)
                .filter(r -> bookmark.isEmpty() || r.endedAt().isAfter(bookmark.get()))
                .sorted(Comparator.comparing(JobRun::endedAt)
                        .thenComparing(JobRun::runId)
                        .thenComparing(JobRun::attempt))
                .toList();
        Optional<Instant> newest = pending.stream().map(JobRun::endedAt).max(Comparator.naturalOrder());
        return new Selection(pending, newest.or(() -> bookmark));
    }

    private String runId(Selection selection) {
        List<String> parts = new ArrayList<>();
        parts.add(
                config.incremental()
                        ? "incremental"
                        : "window " + config.from().get() + " " + config.to().get());
        selection.cleanseRuns().forEach(r -> parts.add(r.runId() + "#" + r.attempt()));
        return RunIds.of(JOB, parts);
    }

    private JobRun record(
            String runId,
            int attempt,
            Selection selection,
            JobRun.Status status,
            Instant started,
            Instant ended,
            RollupCounts counts,
            Map<String, Long> versions,
            Optional<String> error) {
        return new JobRun(
                runId,
                attempt,
                JOB,
                config.incremental() ? "incremental" : "window",
                config.from(),
                config.to(),
                status,
                started,
                ended,
                selection.watermark(),
                counts.asMap(),
                selection.cleanseRuns().stream()
                        .map(r -> r.runId() + "#" + r.attempt())
                        .toList(),
                versions,
                error,
                args);
    }
}
