package dev.sensorhouse.cleanse;

import static dev.sensorhouse.testing.Events.event;
import static dev.sensorhouse.testing.Events.lines;
import static dev.sensorhouse.testing.Events.writeRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.events.EventLimits;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CleanseJobTest extends SparkTestBase {
    private static final String H0 = "2026-01-01T00:00:00Z";
    private static final String H1 = "2026-01-01T01:00:00Z";

    private JobResult<CleanseCounts> cleanse(Path lake) {
        return cleanse(lake, Optional.empty(), Optional.empty());
    }

    private JobResult<CleanseCounts> cleanse(Path lake, Optional<Instant> from, Optional<Instant> to) {
        CleanseConfig config = new CleanseConfig(
                lake.toString(),
                from,
                to,
                CleanseConfig.DEFAULT_LOOKBACK,
                MetricCatalog.defaults(),
                EventLimits.DEFAULTS);
        return new CleanseJob(Lake.at(spark(), lake.toString()), config, "test").run();
    }

    private List<String> readings(Path lake) {
        return Lake.at(spark(), lake.toString())
                .cleansedReadings()
                .read()
                .orderBy("event_id", "metric")
                .collectAsList()
                .stream()
                .map(r -> r.getAs("event_id") + "/" + r.getAs("metric") + "=" + r.getAs("value") + "@"
                        + r.getAs("event_date") + " " + r.getAs("source_file") + ":" + r.getAs("source_line"))
                .toList();
    }

    private List<String> quarantine(Path lake) {
        return Lake.at(spark(), lake.toString())
                .quarantineEvents()
                .read()
                .orderBy("source_file", "source_line", "metric")
                .collectAsList()
                .stream()
                .map(r -> r.getAs("reason_code") + "/" + r.getAs("scope") + "/" + r.getAs("metric") + " line "
                        + r.getAs("source_line"))
                .toList();
    }

    @Test
    void everyLineEndsInExactlyOnePlace() throws Exception {
        Path lake = lakeDir();
        writeRaw(
                lake,
                H0,
                "a.json",
                lines(
                        event("e1")
                                .metric("temperature", 20.0)
                                .metric("humidity", 50)
                                .json(),
                        event("e2")
                                .metric("temperature", 999)
                                .metric("humidity", 51)
                                .json(),
                        "{not json",
                        event("e1")
                                .metric("temperature", 20.0)
                                .metric("humidity", 50)
                                .json(),
                        event("e3").metric("vibration_z", 3).json()));
        JobResult<CleanseCounts> r = cleanse(lake);
        CleanseCounts c = r.counts();
        assertThat(c.linesIn()).isEqualTo(5);
        assertThat(c.eventsCleansed()).isEqualTo(2);
        assertThat(c.linesQuarantined()).isEqualTo(2);
        assertThat(c.duplicates()).isEqualTo(1);
        assertThat(c.readingsCleansed()).isEqualTo(3);
        assertThat(c.readingsQuarantined()).isEqualTo(1);
        assertThat(c.quarantineRowsByReason())
                .containsEntry("out_of_range", 1L)
                .containsEntry("malformed_json", 1L)
                .containsEntry("unknown_metric", 1L);
        assertThat(readings(lake))
                .containsExactly(
                        "e1/humidity=50.0@2026-01-01 raw/sensor_events/year=2026/month=01/day=01/hour=00/a.json:1",
                        "e1/temperature=20.0@2026-01-01 raw/sensor_events/year=2026/month=01/day=01/hour=00/a.json:1",
                        "e2/humidity=51.0@2026-01-01 raw/sensor_events/year=2026/month=01/day=01/hour=00/a.json:2");
        assertThat(quarantine(lake))
                .containsExactly(
                        "out_of_range/reading/temperature line 2",
                        "malformed_json/line/null line 3",
                        "unknown_metric/line/vibration_z line 5");
        Row q = Lake.at(spark(), lake.toString())
                .quarantineEvents()
                .read()
                .filter("source_line = 3")
                .head();
        assertThat(q.<String>getAs("raw_line")).isEqualTo("{not json");
        assertThat(q.<Date>getAs("arrival_date").toString()).isEqualTo("2026-01-01");
    }

    @Test
    void duplicatesAcrossRunsAreDroppedAndTheFirstCopyStays() throws Exception {
        Path lake = lakeDir();
        writeRaw(lake, H0, "a.json", lines(event("e1").metric("light", 1).json()));
        assertThat(cleanse(lake).counts().eventsCleansed()).isEqualTo(1);
        writeRaw(
                lake,
                H1,
                "b.json",
                lines(
                        event("e1").metric("light", 1).json(),
                        event("e2").metric("light", 2).json()));
        CleanseCounts second = cleanse(lake).counts();
        assertThat(second.linesIn()).isEqualTo(2);
        assertThat(second.duplicates()).isEqualTo(1);
        assertThat(second.eventsCleansed()).isEqualTo(1);
        assertThat(readings(lake))
                .containsExactly(
                        "e1/light=1.0@2026-01-01 raw/sensor_events/year=2026/month=01/day=01/hour=00/a.json:1",
                        "e2/light=2.0@2026-01-01 raw/sensor_events/year=2026/month=01/day=01/hour=01/b.json:2");
    }

    @Test
    void theEarliestCopyWinsWithinARunAndItsReadingRejectsAreKeptOnce() throws Exception {
        Path lake = lakeDir();
        String e = event("e1").metric("light", 1).metric("humidity", 101).json();
        writeRaw(lake, H1, "b.json", lines(e));
        writeRaw(lake, H0, "a.json", lines(event("x").metric("light", 0).json(), e));
        CleanseCounts c = cleanse(lake).counts();
        assertThat(c.duplicates()).isEqualTo(1);
        assertThat(readings(lake))
                .contains("e1/light=1.0@2026-01-01 raw/sensor_events/year=2026/month=01/day=01/hour=00/a.json:2");
        assertThat(quarantine(lake)).containsExactly("out_of_range/reading/humidity line 2");
    }

    @Test
    void lateEventsLandInTheirEventDate() throws Exception {
        Path lake = lakeDir();
        writeRaw(
                lake,
                "2026-01-03T05:00:00Z",
                "late.json",
                lines(
                        event("late")
                                .at("2026-01-01T23:59:59Z")
                                .metric("light", 1)
                                .json(),
                        event("ontime")
                                .at("2026-01-03T05:10:00+02:00")
                                .metric("light", 2)
                                .json()));
        cleanse(lake);
        assertThat(readings(lake))
                .extracting(s -> s.substring(0, s.indexOf(' ')))
                .containsExactly("late/light=1.0@2026-01-01", "ontime/light=2.0@2026-01-03");
        List<String> partitions = java.nio.file.Files.list(lake.resolve("cleansed/readings"))
                .map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("event_date="))
                .sorted()
                .collect(Collectors.toList());
        assertThat(partitions).containsExactly("event_date=2026-01-01", "event_date=2026-01-03");
    }

    @Test
    void rerunningAWindowLeavesEveryTableAsItWas() throws Exception {
        Path lake = lakeDir();
        writeRaw(
                lake,
                H0,
                "a.json",
                lines(
                        event("e1").metric("light", 1).json(),
                        "garbage",
                        event("e1").metric("light", 1).json()));
        Optional<Instant> from = Optional.of(Instant.parse(H0));
        Optional<Instant> to = Optional.of(Instant.parse(H1));
        JobResult<CleanseCounts> first = cleanse(lake, from, to);
        List<String> readings = readings(lake);
        List<String> quarantine = quarantine(lake);
        List<Row> all = Lake.at(spark(), lake.toString())
                .cleansedReadings()
                .read()
                .orderBy("event_id")
                .collectAsList();
        JobResult<CleanseCounts> second = cleanse(lake, from, to);
        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.counts()).isEqualTo(first.counts());
        assertThat(readings(lake)).isEqualTo(readings);
        assertThat(quarantine(lake)).isEqualTo(quarantine);
        assertThat(Lake.at(spark(), lake.toString())
                        .cleansedReadings()
                        .read()
                        .orderBy("event_id")
                        .collectAsList())
                .isEqualTo(all);
    }

    @Test
    void incrementalRunsPickUpOnlyNewFilesIncludingLateFilesOfTheBookmarkHour() throws Exception {
        Path lake = lakeDir();
        writeRaw(lake, H0, "a.json", lines(event("e1").metric("light", 1).json()));
        JobResult<CleanseCounts> first = cleanse(lake);
        assertThat(first.counts().files()).isEqualTo(1);
        JobResult<CleanseCounts> nothing = cleanse(lake);
        assertThat(nothing.counts().linesIn()).isZero();
        writeRaw(lake, H0, "a2.json", lines(event("e2").metric("light", 2).json()));
        writeRaw(lake, H1, "b.json", lines(event("e3").metric("light", 3).json()));
        JobResult<CleanseCounts> third = cleanse(lake);
        assertThat(third.counts().files()).isEqualTo(2);
        assertThat(third.counts().eventsCleansed()).isEqualTo(2);
        List<JobRun> runs = Lake.at(spark(), lake.toString()).jobRuns().all();
        assertThat(runs).hasSize(3);
        assertThat(runs.get(2).watermark()).contains(Instant.parse(H1));
        assertThat(runs.get(2).inputFiles()).hasSize(2);
        assertThat(runs.get(2).counts()).containsEntry("lines_in", 2L).containsEntry("events_cleansed", 2L);
        assertThat(runs).extracting(JobRun::status).containsOnly(JobRun.Status.SUCCEEDED);
    }

    @Test
    void aFailedRunRecordsItsErrorAndLeavesTheTablesUnchanged() throws Exception {
        Path lake = lakeDir();
        writeRaw(lake, H0, "a.json", lines(event("e1").metric("light", 1).json()));
        cleanse(lake);
        List<String> before = readings(lake);
        writeRaw(lake, H1, "b.json", lines(event("e2").metric("light", 1).json()));
        System.setProperty("sensorhouse.failpoint", "cleanse.after-readings-commit:throw");
        try {
            assertThatThrownBy(() -> cleanse(lake)).isInstanceOf(JobFailedException.class);
        } finally {
            System.clearProperty("sensorhouse.failpoint");
        }
        Lake l = Lake.at(spark(), lake.toString());
        assertThat(readings(lake)).isEqualTo(before);
        JobRun failed = l.jobRuns().all().get(1);
        assertThat(failed.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).isNotBlank());
    }

    /** A file that is not gzip inside (an interrupted upload, a wrong suffix) is quarantined, not a failure. */
    @Test
    void aDamagedGzipFileIsQuarantinedAndTheRunSucceeds() throws Exception {
        Path lake = lakeDir();
        String bad = writeRaw(
                lake, H1, "b.json.gz", lines(event("e2").metric("light", 1).json()));
        JobResult<CleanseCounts> r = cleanse(lake);
        assertThat(r.counts().filesUnreadable()).isEqualTo(1);
        assertThat(r.counts().linesIn()).isEqualTo(1);
        assertThat(r.counts().linesQuarantined()).isEqualTo(1);
        Row q = Lake.at(spark(), lake.toString()).quarantineEvents().read().head();
        assertThat(q.<String>getAs("reason_code")).isEqualTo("unreadable_file");
        assertThat(q.<String>getAs("scope")).isEqualTo("file");
        assertThat(q.<String>getAs("source_file")).isEqualTo(bad);
        assertThat(q.<String>getAs("reason_detail")).contains("cannot be read from line 1");
    }
}
