package dev.sensorhouse.rollup;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.dimensions.Enrichment;
import dev.sensorhouse.runtime.AuditedJob;
import dev.sensorhouse.runtime.Columns;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.runtime.RunContext;
import dev.sensorhouse.runtime.RunScope;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.JobRuns;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.SqlPredicates;
import dev.sensorhouse.zones.TableContract;
import dev.sensorhouse.zones.TableDiff;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
public final class RollupJob extends AuditedJob<RollupJob.Selection, RollupCounts> {
    public static final String JOB = "rollup";
    static final String CLEANSE_JOB = "cleanse";

    private static final List<String> HOURLY_KEY = TableContract.READINGS_HOURLY.key();
    private static final List<String> DAILY_KEY = TableContract.READINGS_DAILY.key();

    private final RollupConfig config;

    public RollupJob(Lake lake, RollupConfig config, String args) {
        super(lake, JOB, args);
        this.config = config;
    }

    /** The cleanse runs a rollup covers, the bookmark it started from and the bookmark it leaves. */
    record Selection(List<JobRun> cleanseRuns, Optional<Instant> bookmark, Optional<Instant> watermark) {
        List<String> runIds() {
            return cleanseRuns.stream().map(JobRun::runId).distinct().toList();
        }

        List<String> covered() {
            return cleanseRuns.stream().map(r -> r.runId() + "#" + r.attempt()).toList();
        }
    }

    @Override
    protected Selection select(List<JobRun> history) {
        return pending(history);
    }

    @Override
    protected List<String> identity(Selection selection) {
        List<String> parts = new ArrayList<>();
        parts.add(
                config.incremental()
                        ? "incremental"
                        : "window " + config.from().get() + " " + config.to().get());
        parts.addAll(selection.covered());
        return parts;
    }

    @Override
    protected String describe(Selection selection) {
        return String.format(
                java.util.Locale.ROOT,
                "%d cleanse runs since %s%s",
                selection.cleanseRuns().size(),
                selection.bookmark().map(Instant::toString).orElse("the beginning"),
                config.incremental()
                        ? ""
                        : ", window " + config.from().get() + " .. "
                                + config.to().get());
    }

    @Override
    protected List<LakeTable> tables() {
        return List.of(lake.readingsHourly(), lake.readingsDaily());
    }

    @Override
    protected RollupCounts none() {
        return RollupCounts.NONE;
    }

    @Override
    protected RunScope scope(Selection selection) {
        return new RunScope(
                config.incremental() ? RunScope.INCREMENTAL : RunScope.WINDOW,
                config.from(),
                config.to(),
                selection.watermark(),
                selection.covered());
    }

    @Override
    protected RollupCounts process(Selection selection, RunContext run) {
        return selection.cleanseRuns().isEmpty() && config.incremental() ? RollupCounts.NONE : rollup(selection, run);
    }

    private RollupCounts rollup(Selection selection, RunContext run) {
        LakeTable hourly = lake.readingsHourly();
        LakeTable daily = lake.readingsDaily();
        Progress progress = run.progress();
        Dataset<Row> readings = lake.cleansedReadings().ensureExists().read();
        run.stage("find the touched hourly buckets");
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
                            .select(Columns.of(HOURLY_KEY)))
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
            List<LocalDate> eventDates = dates.stream().map(Date::toLocalDate).toList();

            run.stage("recompute hourly buckets");
            Dataset<Row> recomputedHourly = Rollup.hourly(
                            readings.filter(col("event_date").isin(dateValues))
                                    .withColumn("hour_start", date_trunc("hour", col("event_ts")))
                                    .join(touched, Columns.seq(HOURLY_KEY), "left_semi"))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(recomputedHourly);
            Dataset<Row> storedHourly = hourly.read()
                    .filter(col("event_date").isin(dateValues))
                    .join(touched, Columns.seq(HOURLY_KEY), "left_semi");
            long readingsRead = recomputedHourly
                    .agg(coalesce(sum("value_count"), lit(0L)))
                    .head()
                    .getLong(0);
            LakeTable.Merged hourlyWrites = hourly.applyChanges(
                    TableDiff.changes(keyed(recomputedHourly), storedHourly, HOURLY_KEY, Rollup.VALUES),
                    HOURLY_KEY,
                    SqlPredicates.inDates("t.event_date", eventDates));
            progress.step(
                    "hourly: %,d readings in %,d buckets; %,d rows written, %,d deleted; version %d",
                    readingsRead, buckets, hourlyWrites.written(), hourlyWrites.deleted(), hourly.version());
            run.failpoint("after-hourly-commit");

            run.stage("recompute daily buckets");
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
                    .join(touchedDays, Columns.seq(DAILY_KEY), "left_semi");
            LakeTable.Merged dailyWrites = daily.applyChanges(
                    TableDiff.changes(keyed(recomputedDaily), storedDaily, DAILY_KEY, Rollup.VALUES),
                    DAILY_KEY,
                    SqlPredicates.inDates("t.day", eventDates));
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

    /** The newest cleanse run end covered by a successful rollup. */
    static Optional<Instant> bookmark(List<JobRun> history) {
        return JobRuns.succeeded(history, JOB).stream()
                .map(JobRun::watermark)
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    /** The SUCCEEDED cleanse runs that ended after the bookmark, oldest first, and the bookmark after them. */
    static Selection pending(List<JobRun> history) {
        Optional<Instant> bookmark = bookmark(history);
        List<JobRun> pending = JobRuns.succeeded(history, CLEANSE_JOB).stream()
                .filter(r -> bookmark.isEmpty() || r.endedAt().isAfter(bookmark.get()))
                .sorted(Comparator.comparing(JobRun::endedAt)
                        .thenComparing(JobRun::runId)
                        .thenComparing(JobRun::attempt))
                .toList();
        Optional<Instant> newest = pending.stream().map(JobRun::endedAt).max(Comparator.naturalOrder());
        return new Selection(pending, bookmark, newest.or(() -> bookmark));
    }
}
