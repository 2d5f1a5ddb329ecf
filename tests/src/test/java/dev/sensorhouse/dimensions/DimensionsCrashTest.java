package dev.sensorhouse.dimensions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.LakeFiles;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.TableContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash recovery of {@code sensorhouse dimensions}, which writes seven tables (the change log, both
 * dimensions, the quarantine, and the keys of the readings, hourly and daily facts): a real
 * dimensions process is SIGKILLed at each of its failpoints; the next run, in this JVM, must leave
 * every one of those tables exactly as an uninterrupted run on an identical lake leaves them, and
 * one SUCCEEDED dimensions run with the same run id.
 *
 * <ol>
 *   <li>One lake is simulated (with the registry), cleansed and rolled up here before the
 *       dimensions exist, so that the dimensions run re-keys facts; each scenario gets a copy, and its
 *       dimensions child JVM starts with {@code -Dsensorhouse.failpoint=NAME}. A reference copy gets
 *       an uninterrupted dimensions run.
 *   <li>Each test waits for its child at its failpoint, SIGKILLs it, runs dimensions again and
 *       compares all seven tables with the reference.
 * </ol>
 */
class DimensionsCrashTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final long SEED = 2718;
    private static final String[] SIMULATE = {
        "--devices", "6", "--duration", "3h", "--interval", "120s", "--faults", "default"
    };
    private static final Duration REACH_TIMEOUT = Duration.ofMinutes(5);
    private static final List<TableContract> TABLES = List.of(
            TableContract.REGISTRY_CHANGES,
            TableContract.DEVICES,
            TableContract.LOCATIONS,
            TableContract.QUARANTINE_EVENTS,
            TableContract.CLEANSED_READINGS,
            TableContract.READINGS_HOURLY,
            TableContract.READINGS_DAILY);

    /** Where the dimensions process dies. */
    enum Crash {
        AFTER_CHANGES_COMMIT("dimensions.after-changes-commit"),
        AFTER_DIMS_COMMIT("dimensions.after-dims-commit"),
        BEFORE_REKEY("dimensions.before-rekey"),
        BEFORE_RUN_RECORD("dimensions.before-run-record");

        final String failpoint;

        Crash(String failpoint) {
            this.failpoint = failpoint;
        }
    }

    @TempDir
    static Path shared;

    private static final Map<Crash, Path> LAKES = new EnumMap<>(Crash.class);
    private static final Map<Crash, ChildProcess> CHILDREN = new EnumMap<>(Crash.class);
    private static final Map<String, TableSnapshot> REFERENCE = new LinkedHashMap<>();
    private static JobRun referenceRun;

    @BeforeAll
    static void startTheDoomedRunsAndKeepAReferenceLake() {
        spark();
        for (Crash crash : Crash.values()) {
            Path lake = lakeWithFacts(crash.name().toLowerCase(Locale.ROOT));
            LAKES.put(crash, lake);
            CHILDREN.put(crash, startDimensions(crash, lake));
        }
        Path reference = lakeWithFacts("reference");
        Cli.succeed("dimensions", "--lake", reference.toString(), "--cdc", cdc(reference));
        referenceRun = dimensionsRuns(reference).get(0);
        for (TableContract t : TABLES) {
            REFERENCE.put(t.path(), TableSnapshot.ofTable(spark(), reference, t.path()));
        }
        assertThat(referenceRun.count("fact_rows_rekeyed"))
                .as("the reference run re-keys facts, so the crash points after it matter")
                .isPositive();
    }

    @AfterAll
    static void killWhatIsLeft() {
        CHILDREN.values().forEach(ChildProcess::close);
    }

    @ParameterizedTest(name = "killed {0}")
    @EnumSource(Crash.class)
    void theRunAfterAKilledRunLeavesEveryTableAsAnUninterruptedRunLeavesIt(Crash crash) {
        ChildProcess child = CHILDREN.get(crash);
        assertThat(child.awaitStderr("FAILPOINT " + crash.failpoint, REACH_TIMEOUT))
                .as("reached %s\n%s", crash.failpoint, child.describe())
                .isTrue();
        assertThat(child.killHard())
                .as("exit value after SIGKILL\n%s", child.describe())
                .isEqualTo(ChildProcess.SIGKILL_EXIT);
        Path lake = LAKES.get(crash);
        assertThat(dimensionsRuns(lake))
                .as("dimensions runs left by the killed run")
                .noneMatch(r -> r.status() == JobRun.Status.SUCCEEDED);

        Cli.succeed("dimensions", "--lake", lake.toString(), "--cdc", cdc(lake));

        for (TableContract t : TABLES) {
            TableSnapshot.ofTable(spark(), lake, t.path()).assertSameRowsAs(REFERENCE.get(t.path()));
        }
        List<JobRun> succeeded = dimensionsRuns(lake).stream()
                .filter(r -> r.status() == JobRun.Status.SUCCEEDED)
                .toList();
        assertThat(succeeded).hasSize(1);
        assertThat(succeeded.get(0).runId()).isEqualTo(referenceRun.runId());
        assertThat(succeeded.get(0).count("records_in")).isEqualTo(referenceRun.count("records_in"));
    }

    private static Path withFacts;

    /**
     * A copy of one simulated lake, cleansed and rolled up before any dimension exists (every fact key
     * is -1); the lake is made once and copied for each scenario and the reference.
     */
    private static Path lakeWithFacts(String name) {
        if (withFacts == null) {
            withFacts = shared.resolve("with-facts/lake");
            Simulations.simulate(withFacts, START, SEED, SIMULATE);
            Cli.succeed("cleanse", "--lake", withFacts.toString());
            Cli.succeed("rollup", "--lake", withFacts.toString());
        }
        return LakeFiles.copy(withFacts, shared.resolve(name + "/lake"));
    }

    private static String cdc(Path lake) {
        return lake.resolve("raw/registry_cdc").toString();
    }

    private static ChildProcess startDimensions(Crash crash, Path lake) {
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
                        "dimensions",
                        "--lake",
                        lake.toString(),
                        "--cdc",
                        cdc(lake)),
                scratch,
                env);
    }

    private static List<JobRun> dimensionsRuns(Path lake) {
        return Lake.at(spark(), lake.toString()).jobRuns().all().stream()
                .filter(r -> r.job().equals(DimensionsJob.JOB))
                .toList();
    }
}
