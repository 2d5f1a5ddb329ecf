package dev.sensorhouse.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.LakeFiles;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawFile;
import dev.sensorhouse.zones.TableMaintenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code sensorhouse maintain} on a lake the hourly runs left (one cleanse and rollup per arrival hour):
 * compaction keeps every row and leaves fewer files, the retention deletes only old cleansed raw files,
 * a rerun does nothing, and a run SIGKILLed after its compaction leaves the rows as they were and its
 * successor finishes the work.
 */
class MaintainJobTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final String[] SIMULATE = {
        "--devices", "4", "--duration", "3h", "--interval", "120s", "--faults", "default"
    };
    private static final List<String> TABLES = List.of(
            "cleansed/readings", "aggregated/readings_hourly", "aggregated/readings_daily", "quarantine/events");
    private static final Duration REACH_TIMEOUT = Duration.ofMinutes(4);

    private static Path hourlyTemplate;

    /**
     * A copy of a lake simulated and processed hour by hour, as the hourly DAG leaves it (made once
     * per JVM: every test maintains its own copy).
     */
    private Path hourlyLake(String name) throws IOException {
        synchronized (MaintainJobTest.class) {
            if (hourlyTemplate == null) {
                Path lake = Files.createTempDirectory("maintain-hourly-").resolve("lake");
                Simulations.simulate(lake, START, 77, SIMULATE);
                for (int h = 0; h < 3; h++) {
                    Instant from = Instant.parse(START).plus(Duration.ofHours(h));
                    String to = from.plus(Duration.ofHours(1)).toString();
                    Cli.succeed("cleanse", "--lake", lake.toString(), "--from", from.toString(), "--to", to);
                    Cli.succeed("rollup", "--lake", lake.toString(), "--from", from.toString(), "--to", to);
                }
                hourlyTemplate = lake;
            }
        }
        return LakeFiles.copy(hourlyTemplate, tmp.resolve(name));
    }

    private static List<TableSnapshot> snapshot(Path lake) {
        return TABLES.stream().map(t -> TableSnapshot.ofTable(spark(), lake, t)).toList();
    }

    private static void assertSameRows(Path lake, List<TableSnapshot> before) {
        for (int i = 0; i < TABLES.size(); i++) {
            TableSnapshot.ofTable(spark(), lake, TABLES.get(i)).assertSameRowsAs(before.get(i));
        }
    }

    private static List<JobRun> maintainRuns(Path lake) {
        return Lake.at(spark(), lake.toString()).jobRuns().all().stream()
                .filter(r -> r.job().equals(MaintainJob.JOB))
                .toList();
    }

    @Test
    void compactionKeepsEveryRowRetentionDeletesOnlyOldCleansedFilesAndARerunDoesNothing() throws IOException {
        spark();
        Path lake = hourlyLake("lake");
        Lake tables = Lake.at(spark(), lake.toString());
        // a file that arrived long ago but no cleanse ever covered: never deleted
        Path uncleansed = lake.resolve("raw/sensor_events/year=2025/month=06/day=01/hour=00/late.json");
        Files.createDirectories(uncleansed.getParent());
        Files.writeString(uncleansed, "{}\n");
        List<RawFile> rawBefore = tables.raw().list(Optional.empty(), Optional.empty());
        List<TableSnapshot> before = snapshot(lake);
        long filesBefore =
                new TableMaintenance(spark(), tables.cleansedReadings()).size().files();

        Cli.succeed(
                "maintain",
                "--lake",
                lake.toString(),
                "--vacuum-retention",
                "24h",
                "--raw-retention",
                "1h",
                "--quarantine-retention",
                "400d");

        assertSameRows(lake, before);
        assertThat(new TableMaintenance(spark(), tables.cleansedReadings())
                        .size()
                        .files())
                .isLessThan(filesBefore);
        // cleansed hours 00-02: the newest is 02:00, so a 1 h retention expires what arrived before 01:00
        List<RawFile> rawAfter = tables.raw().list(Optional.empty(), Optional.empty());
        assertThat(rawAfter)
                .containsExactlyInAnyOrderElementsOf(rawBefore.stream()
                        .filter(f -> !f.arrivalHour().equals(Instant.parse(START)))
                        .toList());
        assertThat(rawAfter)
                .hasSizeLessThan(rawBefore.size())
                .anyMatch(f -> f.path().endsWith("late.json"));
        JobRun first = maintainRuns(lake).get(0);
        assertThat(first.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(first.count("tables_compacted")).isPositive();
        assertThat(first.count("raw_files_deleted"))
                .isEqualTo(rawBefore.size() - rawAfter.size())
                .isPositive();

        Cli.succeed("maintain", "--lake", lake.toString(), "--vacuum-retention", "24h", "--raw-retention", "1h");
        JobRun second = maintainRuns(lake).get(1);
        assertThat(second.count("tables_compacted")).isZero();
        assertThat(second.count("raw_files_deleted")).isZero();
        assertSameRows(lake, before);
    }

    @Test
    void aRunKilledAfterItsCompactionLeavesTheRowsAndItsSuccessorFinishes() throws IOException {
        spark();
        Path lake = hourlyLake("crash-lake");
        List<TableSnapshot> before = snapshot(lake);
        Path scratch = tmp.resolve("scratch");
        Files.createDirectories(scratch);
        Map<String, String> env = new HashMap<>();
        env.put("SENSORHOUSE_FAILPOINT", null);
        try (ChildProcess child = ChildProcess.start(
                ChildProcess.sensorhouseJava(
                        scratch,
                        List.of("-Dsensorhouse.failpoint=maintain.after-compaction"),
                        "maintain",
                        "--lake",
                        lake.toString()),
                scratch,
                env)) {
            assertThat(child.awaitStderr("FAILPOINT maintain.after-compaction", REACH_TIMEOUT))
                    .as(child.describe())
                    .isTrue();
            assertThat(child.killHard()).as(child.describe()).isEqualTo(ChildProcess.SIGKILL_EXIT);
        }
        assertSameRows(lake, before);
        assertThat(maintainRuns(lake)).noneMatch(r -> r.status() == JobRun.Status.SUCCEEDED);

        Cli.succeed("maintain", "--lake", lake.toString());
        assertSameRows(lake, before);
        assertThat(maintainRuns(lake))
                .filteredOn(r -> r.status() == JobRun.Status.SUCCEEDED)
                .hasSize(1);
        Cli.succeed("maintain", "--lake", lake.toString());
        assertThat(maintainRuns(lake).get(maintainRuns(lake).size() - 1).count("tables_compacted"))
                .isZero();
    }
}
