package dev.sensorhouse.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.trim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.simulate.FaultKind;
import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.Events;
import dev.sensorhouse.testing.LakeFiles;
import dev.sensorhouse.testing.RunCounts;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleanse job end to end, through the command line and the lake tables only: the simulator writes
 * a raw zone with heavy fault injection and a report of the outcome a cleanse must reach; {@code
 * sensorhouse cleanse} must reach it exactly, rerun without changing anything, and take later data
 * incrementally.
 *
 * <p>One farm lake (agriculture profile) is simulated and cleansed once for the class; tests that
 * change a lake work on their own copy of it.
 */
class CleanseEndToEndTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final long SEED = 4242;
    private static final String READINGS = "cleansed/readings";
    private static final String QUARANTINE = "quarantine/events";

    @TempDir
    static Path shared;

    private static Path farm;
    private static InjectionReport farmReport;
    private static TableSnapshot farmReadings;
    private static TableSnapshot farmQuarantine;

    @BeforeAll
    static void simulateAndCleanseAFarm() {
        spark();
        farm = shared.resolve("farm");
        farmReport = Simulations.simulate(
                farm,
                START,
                SEED,
                "--profile",
                "agriculture",
                "--devices",
                "40",
                "--duration",
                "12h",
                "--interval",
                "60s",
                "--faults",
                "heavy");
        Cli.succeed("cleanse", "--lake", farm.toString());
        farmReadings = TableSnapshot.ofTable(spark(), farm, READINGS);
        farmQuarantine = TableSnapshot.ofTable(spark(), farm, QUARANTINE);
    }

    @Test
    void aFarmWithHeavyFaultsIsCleansedToExactlyTheOutcomeTheSimulatorReports() {
        assertCleansedAsReported(farm, farmReport);
    }

    /** Also with gzip raw files, two per arrival hour: the same lines, so the same outcome. */
    @Test
    void aVehicleFleetWithHeavyFaultsIsCleansedToExactlyTheOutcomeTheSimulatorReports() throws Exception {
        Path lake = lakeDir();
        InjectionReport report = Simulations.simulate(
                lake,
                START,
                SEED + 7,
                "--profile",
                "vehicle",
                "--devices",
                "24",
                "--duration",
                "8h",
                "--interval",
                "60s",
                "--faults",
                "heavy",
                "--gzip",
                "--files-per-hour",
                "2");
        assertThat(LakeFiles.rawFiles(lake)).allMatch(f -> f.endsWith(".json.gz"));
        Cli.succeed("cleanse", "--lake", lake.toString());
        assertCleansedAsReported(lake, report);
    }

    @Test
    void aSecondIncrementalRunHasNoWorkAndChangesNothing() {
        Path lake = LakeFiles.copy(farm, tmp.resolve("lake"));

        Cli.succeed("cleanse", "--lake", lake.toString());

        List<JobRun> runs = cleanseRuns(lake);
        assertThat(runs).hasSize(2).extracting(JobRun::status).containsOnly(JobRun.Status.SUCCEEDED);
        JobRun second = runs.get(1);
        assertThat(second.count("lines_in"))
                .as("lines_in of the second run; counts %s", second.counts())
                .isZero();
        assertThat(second.inputFiles()).isEmpty();
        TableSnapshot.ofTable(spark(), lake, READINGS).assertSameRowsAs(farmReadings);
        TableSnapshot.ofTable(spark(), lake, QUARANTINE).assertSameRowsAs(farmQuarantine);
    }

    @Test
    void rerunningAWindowThatCoversEverythingLeavesExactlyTheSameRows() {
        Path lake = LakeFiles.copy(farm, tmp.resolve("lake"));
        JobRun first = cleanseRuns(lake).get(0);

        Cli.succeed(
                "cleanse",
                "--lake",
                lake.toString(),
                "--from",
                farmReport.arrivalFrom().toString(),
                "--to",
                farmReport.arrivalTo().toString());

        TableSnapshot.ofTable(spark(), lake, READINGS).assertSameRowsAs(farmReadings);
        TableSnapshot.ofTable(spark(), lake, QUARANTINE).assertSameRowsAs(farmQuarantine);
        List<JobRun> runs = cleanseRuns(lake);
        assertThat(runs).hasSize(2).extracting(JobRun::status).containsOnly(JobRun.Status.SUCCEEDED);
        JobRun rerun = runs.get(1);
        assertThat(rerun.mode()).isEqualTo("window");
        assertThat(rerun.runId()).as("the same files give the same run id").isEqualTo(first.runId());
        assertThat(new TreeMap<>(rerun.counts())).isEqualTo(new TreeMap<>(first.counts()));
    }

    @Test
    void aLaterBatchIsCleansedAloneAndLinesRedeliveredFromAnEarlierRunCountAsDuplicates() throws Exception {
        Path lake = LakeFiles.copy(farm, tmp.resolve("lake"));
        JobRun first = cleanseRuns(lake).get(0);
        Set<String> filesBefore = new HashSet<>(LakeFiles.rawFiles(lake));
        // The next batch starts a day after the farm's last arrival hour: an incremental run takes the
        // raw hours from its bookmark (the newest hour it covered) on.
        Instant laterStart = farmReport.arrivalTo().plus(Duration.ofDays(1));
        InjectionReport later = Simulations.simulate(
                lake,
                laterStart.toString(),
                SEED + 1,
                "--devices",
                "6",
                "--duration",
                "6h",
                "--interval",
                "60s",
                "--faults",
                "heavy");
        List<String> redelivered = linesOfCleansedEvents(lake, first.runId());
        String redeliveredFile =
                Events.writeRaw(lake, farmReport.arrivalTo().toString(), "redelivered.json", redelivered);
        Set<String> newFiles = new HashSet<>(LakeFiles.rawFiles(lake));
        newFiles.removeAll(filesBefore);

        Cli.succeed("cleanse", "--lake", lake.toString());

        List<JobRun> runs = cleanseRuns(lake);
        assertThat(runs).hasSize(2).extracting(JobRun::status).containsOnly(JobRun.Status.SUCCEEDED);
        JobRun second = runs.get(1);
        assertThat(second.runId()).isNotEqualTo(first.runId());
        assertThat(second.inputFiles())
                .as("files of the incremental run")
                .containsExactlyInAnyOrderElementsOf(newFiles)
                .contains(redeliveredFile);
        Map<String, Long> expected = RunCounts.plus(
                RunCounts.plus(RunCounts.of(later.expected()), "lines_in", redelivered.size()),
                "duplicates",
                redelivered.size());
        assertThat(RunCounts.of(second.counts()))
                .as("counts of the incremental run")
                .isEqualTo(expected);

        Dataset<Row> readings = table(lake, READINGS);
        TableSnapshot.of(
                        READINGS + " of the first run",
                        readings.filter(col("run_id").equalTo(first.runId())))
                .assertSameRowsAs(farmReadings);
        assertThat(readings.filter(col("run_id").equalTo(second.runId())).count())
                .isEqualTo(later.expected().readingsCleansed());
        assertThat(readings.filter(col("source_file").equalTo(redeliveredFile)).count())
                .as("readings from the redelivered file")
                .isZero();
        assertNoEventCleansedTwice(readings);
        Dataset<Row> quarantine = table(lake, QUARANTINE);
        TableSnapshot.of(
                        QUARANTINE + " of the first run",
                        quarantine.filter(col("run_id").equalTo(first.runId())))
                .assertSameRowsAs(farmQuarantine);
        assertThat(rowsByReason(quarantine.filter(col("run_id").equalTo(second.runId()))))
                .isEqualTo(nonZero(later.expected().quarantineRowsByReason()));
    }

    /**
     * A run that writes no rows to a table (here neither readings nor quarantine rows) makes no Delta
     * commit; its written-rows check must count zero, not the previous commit's rows.
     */
    @Test
    void anIncrementalRunOfOnlyRedeliveredLinesCountsThemAsDuplicatesAndAddsNoRows() throws Exception {
        Path lake = LakeFiles.copy(farm, tmp.resolve("lake"));
        JobRun first = cleanseRuns(lake).get(0);
        List<String> redelivered = linesOfCleansedEvents(lake, first.runId());
        String redeliveredFile =
                Events.writeRaw(lake, farmReport.arrivalTo().toString(), "redelivered.json", redelivered);

        Cli.Outcome outcome = Cli.run("cleanse", "--lake", lake.toString());

        assertThat(outcome.code()).as(outcome.describe()).isZero();
        List<JobRun> runs = cleanseRuns(lake);
        assertThat(runs).hasSize(2).extracting(JobRun::status).containsOnly(JobRun.Status.SUCCEEDED);
        JobRun second = runs.get(1);
        assertThat(second.inputFiles()).containsExactly(redeliveredFile);
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "lines_in",
                (long) redelivered.size(),
                "duplicates",
                (long) redelivered.size(),
                "events_cleansed",
                0L,
                "lines_quarantined",
                0L,
                "readings_cleansed",
                0L,
                "quarantine_rows",
                0L));
        assertThat(RunCounts.of(second.counts())).isEqualTo(expected);
        TableSnapshot.ofTable(spark(), lake, READINGS).assertSameRowsAs(farmReadings);
        TableSnapshot.ofTable(spark(), lake, QUARANTINE).assertSameRowsAs(farmQuarantine);
    }

    /**
     * Checks a lake cleansed by one run over its whole raw zone against the simulator's report: the run
     * record's counts, the quarantine table by reason, the readings, and what every row must hold.
     */
    private void assertCleansedAsReported(Path lake, InjectionReport report) {
        InjectionReport.Expected expected = report.expected();
        assertThat(report.faults())
                .as("heavy faults inject every kind, so every reason is compared")
                .allSatisfy((kind, n) -> assertThat(n).as(kind.code()).isPositive());
        assertThat(expected.quarantineRowsByReason().keySet())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(FaultKind.values())
                        .filter(FaultKind::quarantines)
                        .map(FaultKind::code)
                        .toList());

        List<JobRun> runs = cleanseRuns(lake);
        assertThat(runs).hasSize(1);
        JobRun run = runs.get(0);
        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(run.inputFiles()).containsExactlyInAnyOrderElementsOf(LakeFiles.rawFiles(lake));
        assertThat(RunCounts.of(run.counts())).as("counts in control/job_runs").isEqualTo(RunCounts.of(expected));
        assertThat(run.count("lines_in"))
                .isEqualTo(run.count("events_cleansed") + run.count("lines_quarantined") + run.count("duplicates"));

        Dataset<Row> quarantine = table(lake, QUARANTINE);
        assertThat(rowsByReason(quarantine))
                .as("quarantine/events rows by reason_code")
                .isEqualTo(nonZero(expected.quarantineRowsByReason()));
        Dataset<Row> incomplete = quarantine.filter(col("reason_detail")
                .isNull()
                .or(length(trim(col("reason_detail"))).equalTo(0))
                .or(col("raw_line").isNull())
                .or(length(col("raw_line")).equalTo(0))
                .or(col("source_file").isNull())
                .or(length(col("source_file")).equalTo(0))
                .or(col("source_line").isNull())
                .or(col("source_line").lt(1)));
        assertThat(examples(incomplete))
                .as("quarantine rows without detail, raw line, file or line number")
                .isEmpty();
        assertThat(quarantine.filter(col("run_id").notEqual(run.runId())).count())
                .isZero();

        Dataset<Row> readings = table(lake, READINGS);
        assertThat(readings.count()).as("rows of cleansed/readings").isEqualTo(expected.readingsCleansed());
        assertThat(readings.select("event_id").distinct().count())
                .as("events in cleansed/readings")
                .isEqualTo(expected.eventsCleansed());
        assertThat(readings.filter(col("run_id").notEqual(run.runId())).count()).isZero();
        assertNoEventCleansedTwice(readings);
    }

    /** No event_id comes from two different raw lines. */
    private static void assertNoEventCleansedTwice(Dataset<Row> readings) {
        Dataset<Row> twice = readings.groupBy("event_id")
                .agg(countDistinct(col("source_file"), col("source_line")).as("lines"))
                .filter(col("lines").gt(1));
        assertThat(examples(twice))
                .as("event ids cleansed from more than one (source_file, source_line)")
                .isEmpty();
    }

    /**
     * Verbatim raw lines of events the given run cleansed: five whole events and two whose readings
     * were partly quarantined (their rejects must not come back with the copy).
     */
    private List<String> linesOfCleansedEvents(Path lake, String runId) {
        List<Row> whole = table(lake, READINGS)
                .filter(col("run_id").equalTo(runId))
                .select("event_id", "source_file", "source_line")
                .distinct()
                .orderBy("event_id")
                .limit(5)
                .collectAsList();
        List<Row> partial = table(lake, QUARANTINE)
                .filter(col("run_id").equalTo(runId).and(col("scope").equalTo("reading")))
                .select("event_id", "source_file", "source_line")
                .distinct()
                .orderBy("event_id")
                .limit(2)
                .collectAsList();
        assertThat(whole).hasSize(5);
        assertThat(partial).hasSize(2);
        List<String> lines = new ArrayList<>();
        for (Row r : concat(whole, partial)) {
            String line = LakeFiles.rawLines(lake, r.getString(1)).get((int) r.getLong(2) - 1);
            assertThat(line).contains(r.getString(0));
            lines.add(line);
        }
        return lines;
    }

    private static List<Row> concat(List<Row> a, List<Row> b) {
        List<Row> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<JobRun> cleanseRuns(Path lake) {
        return Lake.at(spark(), lake.toString()).jobRuns().all().stream()
                .filter(r -> r.job().equals("cleanse"))
                .toList();
    }

    private static Dataset<Row> table(Path lake, String relativePath) {
        return spark().read().format("delta").load(lake.resolve(relativePath).toString());
    }

    private static Map<String, Long> rowsByReason(Dataset<Row> quarantine) {
        Map<String, Long> m = new TreeMap<>();
        quarantine.groupBy("reason_code").count().collectAsList().forEach(r -> m.put(r.getString(0), r.getLong(1)));
        return m;
    }

    private static Map<String, Long> nonZero(Map<String, Long> byReason) {
        Map<String, Long> m = new TreeMap<>();
        byReason.forEach((k, n) -> {
            if (n != 0) {
                m.put(k, n);
            }
        });
        return m;
    }

    /** Up to ten rows, rendered, for an assertion that expects none. */
    private static List<String> examples(Dataset<Row> rows) {
        return rows.limit(10).collectAsList().stream().map(Row::toString).toList();
    }
}
