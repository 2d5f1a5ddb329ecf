package dev.sensorhouse.rollup;

import static dev.sensorhouse.testing.Events.event;
import static dev.sensorhouse.testing.Events.lines;
import static dev.sensorhouse.testing.Events.writeRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** {@link RollupJob} on lakes cleansed from hand-written raw events. */
class RollupJobTest extends SparkTestBase {
    private static final String HOURLY = "aggregated/readings_hourly";
    private static final String DAILY = "aggregated/readings_daily";

    private static Lake lake(Path dir) {
        return Lake.at(spark(), dir.toString());
    }

    private static void cleanse(Path dir) {
        new CleanseJob(lake(dir), CleanseConfig.incremental(dir.toString()), "test").run();
    }

    private static JobResult<RollupCounts> rollup(Path dir) {
        return new RollupJob(lake(dir), RollupConfig.incremental(dir.toString()), "test").run();
    }

    private static JobResult<RollupCounts> rollup(Path dir, String from, String to) {
        return new RollupJob(
                        lake(dir), RollupConfig.window(dir.toString(), Instant.parse(from), Instant.parse(to)), "test")
                .run();
    }

    private static String hourly(Row r) {
        return r.getAs("device_id") + " " + r.getAs("metric") + " "
                + r.<Timestamp>getAs("hour_start").toInstant() + " " + r.getAs("event_date")
                + " n=" + r.getAs("value_count") + " min=" + r.getAs("value_min") + " max=" + r.getAs("value_max")
                + " sum=" + r.getAs("value_sum")
                + " sumsq=" + r.getAs("value_sum_squares") + " avg=" + r.getAs("value_avg")
                + " first=" + r.<Timestamp>getAs("first_ts").toInstant() + " last="
                + r.<Timestamp>getAs("last_ts").toInstant();
    }

    @Test
    void rollupWritesHandComputedHourlyAndDailyRowsAndRecordsItsRun() throws Exception {
        Path dir = lakeDir();
        writeRaw(
                dir,
                "2026-01-01T02:00:00Z",
                "a.json",
                lines(
                        event("e1")
                                .device("d1")
                                .at("2026-01-01T00:05:00Z")
                                .metric("temperature", 20.0)
                                .metric("humidity", 50)
                                .json(),
                        event("e2")
                                .device("d1")
                                .at("2026-01-01T00:35:00Z")
                                .metric("temperature", 22.0)
                                .json(),
                        event("e3")
                                .device("d1")
                                .at("2026-01-01T01:10:00Z")
                                .metric("temperature", 30.0)
                                .json(),
                        event("e4")
                                .device("d2")
                                .at("2026-01-01T01:20:00Z")
                                .metric("temperature", 20.0)
                                .json()));
        cleanse(dir);
        JobResult<RollupCounts> result = rollup(dir);

        assertThat(
                        lake(dir)
                                .readingsHourly()
                                .read()
                                .orderBy("device_id", "metric", "hour_start")
                                .collectAsList()
                                .stream()
                                .map(RollupJobTest::hourly)
                                .toList())
                .containsExactly(
                        "d1 humidity 2026-01-01T00:00:00Z 2026-01-01 n=1 min=50.0 max=50.0 sum=50.0 sumsq=2500.0 avg=50.0 first=2026-01-01T00:05:00Z last=2026-01-01T00:05:00Z",
                        "d1 temperature 2026-01-01T00:00:00Z 2026-01-01 n=2 min=20.0 max=22.0 sum=42.0 sumsq=884.0 avg=21.0 first=2026-01-01T00:05:00Z last=2026-01-01T00:35:00Z",
                        "d1 temperature 2026-01-01T01:00:00Z 2026-01-01 n=1 min=30.0 max=30.0 sum=30.0 sumsq=900.0 avg=30.0 first=2026-01-01T01:10:00Z last=2026-01-01T01:10:00Z",
                        "d2 temperature 2026-01-01T01:00:00Z 2026-01-01 n=1 min=20.0 max=20.0 sum=20.0 sumsq=400.0 avg=20.0 first=2026-01-01T01:20:00Z last=2026-01-01T01:20:00Z");
        Row h0 = lake(dir)
                .readingsHourly()
                .read()
                .filter("device_id = 'd1' AND metric = 'temperature' AND value_count = 2")
                .head();
        assertThat(h0.<Double>getAs("value_stddev")).isCloseTo(Math.sqrt(2.0), within(1e-12));

        List<Row> daily =
                lake(dir).readingsDaily().read().orderBy("device_id", "metric").collectAsList();
        assertThat(daily).hasSize(3);
        Row d1t = daily.get(1);
        assertThat(d1t.<String>getAs("metric")).isEqualTo("temperature");
        assertThat(d1t.getAs("day").toString()).isEqualTo("2026-01-01");
        assertThat(d1t.<Long>getAs("value_count")).isEqualTo(3L);
        assertThat(d1t.<Double>getAs("value_sum")).isEqualTo(72.0);
        assertThat(d1t.<Double>getAs("value_sum_squares")).isEqualTo(1784.0);
        assertThat(d1t.<Double>getAs("value_min")).isEqualTo(20.0);
        assertThat(d1t.<Double>getAs("value_max")).isEqualTo(30.0);
        assertThat(d1t.<Double>getAs("value_avg")).isEqualTo(24.0);
        // (1784 - 72^2/3) / 2 = 28
        assertThat(d1t.<Double>getAs("value_stddev")).isCloseTo(Math.sqrt(28.0), within(1e-12));
        assertThat(d1t.<Timestamp>getAs("first_ts").toInstant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
        assertThat(d1t.<Timestamp>getAs("last_ts").toInstant()).isEqualTo(Instant.parse("2026-01-01T01:10:00Z"));
        assertThat(daily.get(0).isNullAt(daily.get(0).fieldIndex("value_stddev")))
                .as("daily stddev of one reading")
                .isTrue();

        JobRun run = lake(dir).jobRuns().succeeded(RollupJob.JOB).get(0);
        JobRun cleanse = lake(dir).jobRuns().succeeded("cleanse").get(0);
        assertThat(run.runId()).isEqualTo(result.runId()).startsWith("rollup-");
        assertThat(run.counts())
                .containsEntry("cleanse_runs", 1L)
                .containsEntry("readings_read", 5L)
                .containsEntry("buckets_touched", 4L)
                .containsEntry("hourly_rows_written", 4L)
                .containsEntry("days_touched", 3L)
                .containsEntry("daily_rows_written", 3L);
        assertThat(run.watermark()).contains(cleanse.endedAt());
    }

    @Test
    void lateEventRewritesOnlyItsOldHourAndDayAndTheFilesHoldingThem() throws Exception {
        Path dir = lakeDir();
        List<String> events = new ArrayList<>();
        for (int day = 1; day <= 4; day++) {
            for (int hour = 0; hour < 24; hour += 6) {
                for (String device : List.of("d1", "d2")) {
                    events.add(event("e-" + device + "-" + day + "-" + hour)
                            .device(device)
                            .at(String.format("2026-01-%02dT%02d:10:00Z", day, hour))
                            .metric("temperature", 10 + day + hour / 4.0)
                            .metric("humidity", 40 + hour)
                            .json());
                }
            }
        }
        writeRaw(dir, "2026-01-05T00:00:00Z", "bulk.json", events);
        cleanse(dir);
        rollup(dir);
        TableSnapshot hourlyBefore = TableSnapshot.ofTable(spark(), dir, HOURLY);
        TableSnapshot dailyBefore = TableSnapshot.ofTable(spark(), dir, DAILY);
        Set<String> hourlyFilesBefore = files(dir, HOURLY);
        Set<String> dailyFilesBefore = files(dir, DAILY);

        // three days before the newest data: 2026-01-01 06:00 gets a second temperature reading for d1
        writeRaw(
                dir,
                "2026-01-05T01:00:00Z",
                "late.json",
                lines(event("late-1")
                        .device("d1")
                        .at("2026-01-01T06:40:00Z")
                        .metric("temperature", 40.0)
                        .json()));
        cleanse(dir);
        JobResult<RollupCounts> late = rollup(dir);

        assertThat(late.counts().cleanseRuns()).isEqualTo(1);
        assertThat(late.counts().bucketsTouched()).isEqualTo(1);
        assertThat(late.counts().readingsRead()).isEqualTo(2);
        assertThat(late.counts().hourlyRowsWritten()).isEqualTo(1);
        assertThat(late.counts().daysTouched()).isEqualTo(1);
        assertThat(late.counts().dailyRowsWritten()).isEqualTo(1);

        TableSnapshot hourlyAfter = TableSnapshot.ofTable(spark(), dir, HOURLY);
        assertThat(minus(hourlyBefore.rows(), hourlyAfter.rows()))
                .as("hourly rows replaced")
                .singleElement()
                .satisfies(r -> assertThat(r).startsWith("d1 \u241F temperature \u241F 2026-01-01T06:00:00Z"));
        assertThat(minus(hourlyAfter.rows(), hourlyBefore.rows()))
                .as("hourly rows written")
                .singleElement()
                .satisfies(
                        r -> assertThat(r)
                                .startsWith(
                                        "d1 \u241F temperature \u241F 2026-01-01T06:00:00Z \u241F 2026-01-01 \u241F 2 \u241F 12.5 \u241F 40.0 \u241F 52.5"));
        TableSnapshot dailyAfter = TableSnapshot.ofTable(spark(), dir, DAILY);
        assertThat(minus(dailyBefore.rows(), dailyAfter.rows()))
                .singleElement()
                .satisfies(r -> assertThat(r).startsWith("d1 \u241F temperature \u241F 2026-01-01 \u241F 4 "));
        assertThat(minus(dailyAfter.rows(), dailyBefore.rows()))
                .singleElement()
                .satisfies(r -> assertThat(r).startsWith("d1 \u241F temperature \u241F 2026-01-01 \u241F 5 "));

        Set<String> hourlyFilesAfter = files(dir, HOURLY);
        assertThat(minus(hourlyFilesBefore, hourlyFilesAfter))
                .as("hourly files rewritten")
                .isNotEmpty()
                .allMatch(f -> f.contains("event_date=2026-01-01"));
        assertThat(minus(hourlyFilesAfter, hourlyFilesBefore))
                .as("hourly files added")
                .isNotEmpty()
                .allMatch(f -> f.contains("event_date=2026-01-01"));
        assertThat(hourlyFilesAfter)
                .as("hourly files of the untouched days, unchanged")
                .filteredOn(f -> !f.contains("event_date=2026-01-01"))
                .containsExactlyInAnyOrderElementsOf(hourlyFilesBefore.stream()
                        .filter(f -> !f.contains("event_date=2026-01-01"))
                        .toList());
        Set<String> dailyFilesAfter = files(dir, DAILY);
        assertThat(minus(dailyFilesBefore, dailyFilesAfter))
                .as("daily files rewritten")
                .isNotEmpty()
                .allMatch(f -> f.contains("day=2026-01-01"));
        assertThat(dailyFilesAfter)
                .filteredOn(f -> !f.contains("day=2026-01-01"))
                .containsExactlyInAnyOrderElementsOf(dailyFilesBefore.stream()
                        .filter(f -> !f.contains("day=2026-01-01"))
                        .toList());
    }

    @Test
    void rerunsLeaveTheTablesUnchanged() throws Exception {
        Path dir = lakeDir();
        writeRaw(
                dir,
                "2026-01-02T00:00:00Z",
                "a.json",
                lines(
                        event("e1")
                                .device("d1")
                                .at("2026-01-01T00:05:00Z")
                                .metric("temperature", 20.1)
                                .metric("humidity", 50.3)
                                .json(),
                        event("e2")
                                .device("d1")
                                .at("2026-01-01T00:35:00Z")
                                .metric("temperature", 22.7)
                                .json(),
                        event("e3")
                                .device("d2")
                                .at("2026-01-01T13:10:00Z")
                                .metric("temperature", 30.9)
                                .json()));
        cleanse(dir);
        JobResult<RollupCounts> first = rollup(dir);
        TableSnapshot hourly = TableSnapshot.ofTable(spark(), dir, HOURLY);
        TableSnapshot daily = TableSnapshot.ofTable(spark(), dir, DAILY);
        long hourlyVersion = lake(dir).readingsHourly().version();
        long dailyVersion = lake(dir).readingsDaily().version();

        JobResult<RollupCounts> again = rollup(dir);
        assertThat(again.counts())
                .as("an incremental rerun finds no new cleanse run")
                .isEqualTo(RollupCounts.NONE);
        assertThat(again.runId()).isNotEqualTo(first.runId());
        JobResult<RollupCounts> window = rollup(dir, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");
        assertThat(window.counts().bucketsTouched()).isEqualTo(3);
        assertThat(window.counts().hourlyRowsWritten()
                        + window.counts().hourlyRowsDeleted()
                        + window.counts().dailyRowsWritten()
                        + window.counts().dailyRowsDeleted())
                .as("rows a window recompute of unchanged readings writes")
                .isZero();

        TableSnapshot.ofTable(spark(), dir, HOURLY).assertSameRowsAs(hourly);
        TableSnapshot.ofTable(spark(), dir, DAILY).assertSameRowsAs(daily);
        assertThat(lake(dir).readingsHourly().version()).as("hourly version").isEqualTo(hourlyVersion);
        assertThat(lake(dir).readingsDaily().version()).as("daily version").isEqualTo(dailyVersion);
    }

    @Test
    void windowRecomputeDeletesBucketsWhoseReadingsAreGone() throws Exception {
        Path dir = lakeDir();
        writeRaw(
                dir,
                "2026-01-02T00:00:00Z",
                "a.json",
                lines(
                        event("e1")
                                .device("d1")
                                .at("2026-01-01T00:05:00Z")
                                .metric("temperature", 20.0)
                                .json(),
                        event("e2")
                                .device("d1")
                                .at("2026-01-01T05:35:00Z")
                                .metric("temperature", 22.0)
                                .json()));
        cleanse(dir);
        rollup(dir);
        DeltaTable.forPath(spark(), lake(dir).cleansedReadings().location()).delete("event_id = 'e2'");

        JobResult<RollupCounts> result = rollup(dir, "2026-01-01T05:00:00Z", "2026-01-01T06:00:00Z");
        assertThat(result.counts().hourlyRowsDeleted()).isEqualTo(1);
        assertThat(result.counts().dailyRowsWritten()).isEqualTo(1);
        assertThat(lake(dir).readingsHourly().read().collectAsList())
                .singleElement()
                .satisfies(r -> assertThat(r.<Timestamp>getAs("hour_start").toInstant())
                        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(lake(dir).readingsDaily().read().head().<Long>getAs("value_count"))
                .isEqualTo(1L);
    }

    private static Set<String> files(Path dir, String table) {
        return new HashSet<>(List.of(spark().read()
                .format("delta")
                .load(dir.resolve(table).toString())
                .inputFiles()));
    }

    private static <T> List<T> minus(java.util.Collection<T> a, java.util.Collection<T> b) {
        List<T> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }
}
