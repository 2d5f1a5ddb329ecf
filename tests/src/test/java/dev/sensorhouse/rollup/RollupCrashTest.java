package dev.sensorhouse.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.LakeFiles;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash recovery of {@code sensorhouse rollup}: a real rollup process is SIGKILLed at each of its
 * failpoints; the next rollup, in this JVM, must leave exactly the hourly and daily rows of an
 * uninterrupted rollup of an identical lake, and one SUCCEEDED rollup run with the same run id.
 *
 * <ol>
 *   <li>Before the tests, one lake is simulated and cleansed here; each scenario gets a copy, whose
 *       rollup child JVM is started with {@code -Dsensorhouse.failpoint=NAME}; both children run at
 *       once. Meanwhile a reference copy is rolled up here.
 *   <li>Each test waits for its child to reach its failpoint, SIGKILLs it, checks what the kill left,
 *       runs rollup again, and compares with the reference.
 * </ol>
 */
class RollupCrashTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final long SEED = 4242;
    private static final String[] SIMULATE = {
        "--devices", "4", "--duration", "4h", "--interval", "120s", "--faults", "default"
    };
    private static final String HOURLY = "aggregated/readings_hourly";
    private static final String DAILY = "aggregated/readings_daily";
    private static final Duration REACH_TIMEOUT = Duration.ofMinutes(4);

    /** Where the rollup process dies, and whether hourly holds the run's rows then. */
    enum Crash {
        AFTER_HOURLY_COMMIT("rollup.after-hourly-commit", false),
        BEFORE_RUN_RECORD("rollup.before-run-record", true);

        final String failpoint;
        final boolean dailyWritten;

        Crash(String failpoint, boolean dailyWritten) {
            this.failpoint = failpoint;
            this.dailyWritten = dailyWritten;
        }
    }

    @TempDir
    static Path shared;

    private static final Map<Crash, Path> LAKES = new EnumMap<>(Crash.class);
    private static final Map<Crash, ChildProcess> CHILDREN = new EnumMap<>(Crash.class);
    private static JobRun referenceRun;
    private static TableSnapshot referenceHourly;
    private static TableSnapshot referenceDaily;

    @BeforeAll
    static void startTheDoomedRollupsAndRollUpAReferenceLake() {
        spark();
        // One simulated and cleansed lake, copied for each scenario and the reference.
        Path cleansed = shared.resolve("cleansed/lake");
        Simulations.simulate(cleansed, START, SEED, SIMULATE);
        Cli.succeed("cleanse", "--lake", cleansed.toString());
        for (Crash crash : Crash.values()) {
            Path lake = LakeFiles.copy(cleansed, shared.resolve(crash.name().toLowerCase(Locale.ROOT) + "/lake"));
            LAKES.put(crash, lake);
            CHILDREN.put(crash, startRollup(crash, lake));
        }
        Path reference = LakeFiles.copy(cleansed, shared.resolve("reference/lake"));
        Cli.succeed("rollup", "--lake", reference.toString());
        referenceRun = rollupRuns(reference).get(0);
        referenceHourly = TableSnapshot.ofTable(spark(), reference, HOURLY);
        referenceDaily = TableSnapshot.ofTable(spark(), reference, DAILY);
    }

    @AfterAll
    static void killWhatIsLeft() {
        CHILDREN.values().forEach(ChildProcess::close);
    }

    @ParameterizedTest(name = "killed {0}")
    @EnumSource(Crash.class)
    void theRollupAfterAKilledRollupLeavesExactlyWhatAnUninterruptedRollupLeaves(Crash crash) {
        ChildProcess child = CHILDREN.get(crash);
        assertThat(child.awaitStderr("FAILPOINT " + crash.failpoint, REACH_TIMEOUT))
                .as("reached %s\n%s", crash.failpoint, child.describe())
                .isTrue();
        assertThat(child.killHard())
                .as("exit value after SIGKILL\n%s", child.describe())
                .isEqualTo(ChildProcess.SIGKILL_EXIT);

        Path lake = LAKES.get(crash);
        Lake tables = Lake.at(spark(), lake.toString());
        assertThat(rollupRuns(lake))
                .as("rollup runs left by the killed run")
                .noneMatch(r -> r.status() == JobRun.Status.SUCCEEDED);
        TableSnapshot.ofTable(spark(), lake, HOURLY).assertSameRowsAs(referenceHourly);
        assertThat(tables.readingsDaily().read().count() > 0)
                .as("whether daily holds rows when killed %s", crash)
                .isEqualTo(crash.dailyWritten);

        Cli.succeed("rollup", "--lake", lake.toString());

        TableSnapshot.ofTable(spark(), lake, HOURLY).assertSameRowsAs(referenceHourly);
        TableSnapshot.ofTable(spark(), lake, DAILY).assertSameRowsAs(referenceDaily);
        List<JobRun> succeeded = rollupRuns(lake).stream()
                .filter(r -> r.status() == JobRun.Status.SUCCEEDED)
                .toList();
        assertThat(succeeded).hasSize(1);
        assertThat(succeeded.get(0).runId()).isEqualTo(referenceRun.runId());
        assertThat(succeeded.get(0).count("buckets_touched"))
                .isEqualTo(referenceRun.count("buckets_touched"))
                .isEqualTo(referenceHourly.size());
        assertThat(succeeded.get(0).watermark())
                .isEqualTo(tables.jobRuns().succeeded("cleanse").stream()
                        .map(JobRun::endedAt)
                        .max(java.util.Comparator.naturalOrder()));

        Cli.succeed("rollup", "--lake", lake.toString());
        TableSnapshot.ofTable(spark(), lake, HOURLY).assertSameRowsAs(referenceHourly);
        TableSnapshot.ofTable(spark(), lake, DAILY).assertSameRowsAs(referenceDaily);
    }

    private static ChildProcess startRollup(Crash crash, Path lake) {
        Path scratch = lake.resolveSibling("scratch");
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("SENSORHOUSE_FAILPOINT", null);
        return ChildProcess.start(
                ChildProcess.sensorhouseJava(
                        scratch,
                        List.of("-Dsensorhouse.failpoint=" + crash.failpoint),
                        "rollup",
                        "--lake",
                        lake.toString()),
                scratch,
                env);
    }

    private static List<JobRun> rollupRuns(Path lake) {
        return Lake.at(spark(), lake.toString()).jobRuns().all().stream()
                .filter(r -> r.job().equals(RollupJob.JOB))
                .toList();
    }
}
