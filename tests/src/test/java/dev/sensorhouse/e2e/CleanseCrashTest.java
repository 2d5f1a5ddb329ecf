package dev.sensorhouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.LakeFiles;
import dev.sensorhouse.testing.RunCounts;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash recovery of {@code sensorhouse cleanse}: a real cleanse process is SIGKILLed at each failpoint
 * of the job and once at a moment while it validates; the next run, in this JVM, must leave readable
 * Delta tables holding exactly the rows of an uninterrupted cleanse of an identical lake (run ids
 * included), one SUCCEEDED run record over all raw files, and counts that reconcile.
 *
 * <ol>
 *   <li>Before the tests, every crash scenario gets its own lake (same simulation seed) and its own
 *       child JVM ({@code -Dsensorhouse.failpoint=NAME}), all started at once so their JVM start-up
 *       overlaps; a watcher thread per child SIGKILLs it the moment it reaches its point. Meanwhile an
 *       uninterrupted cleanse runs here on a reference lake simulated with the same seed.
 *   <li>Each test then checks its child was killed where intended and left no successful run behind,
 *       runs cleanse again, and compares the lake with the reference.
 * </ol>
 */
class CleanseCrashTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final long SEED = 31337;
    private static final String[] SIMULATE = {
        "--devices", "8", "--duration", "3h", "--interval", "60s", "--faults", "heavy"
    };
    private static final String READINGS = "cleansed/readings";
    private static final String QUARANTINE = "quarantine/events";
    /** How long a child may take to reach its kill point; generous, as four start at once on few cores. */
    private static final Duration REACH_TIMEOUT = Duration.ofMinutes(5);
    /** The timed kill: this long after the run's first progress line, or as soon as validation reports, whichever is first. */
    private static final Duration WHILE_VALIDATING_DELAY = Duration.ofMillis(1500);

    /** Where the cleanse process dies, and which tables hold the run's rows at that moment. */
    enum Crash {
        WHILE_VALIDATING(null, false, false),
        AFTER_READINGS_COMMIT("cleanse.after-readings-commit", true, false),
        AFTER_QUARANTINE_COMMIT("cleanse.after-quarantine-commit", true, true),
        BEFORE_RUN_RECORD("cleanse.before-run-record", true, true);

        final String failpoint;
        final boolean readingsWritten;
        final boolean quarantineWritten;

        Crash(String failpoint, boolean readingsWritten, boolean quarantineWritten) {
            this.failpoint = failpoint;
            this.readingsWritten = readingsWritten;
            this.quarantineWritten = quarantineWritten;
        }
    }

    /** What the watcher saw: whether the child reached its kill point, when, and its exit value after SIGKILL. */
    record Kill(boolean reached, double seconds, int exitValue) {}

    @TempDir
    static Path shared;

    private static final ExecutorService WATCHERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "crash-watcher");
        t.setDaemon(true);
        return t;
    });
    private static final Map<Crash, Path> LAKES = new EnumMap<>(Crash.class);
    private static final Map<Crash, ChildProcess> CHILDREN = new EnumMap<>(Crash.class);
    private static final Map<Crash, CompletableFuture<Kill>> KILLS = new EnumMap<>(Crash.class);

    private static InjectionReport report;
    private static JobRun referenceRun;
    private static TableSnapshot referenceReadings;
    private static TableSnapshot referenceQuarantine;

    @BeforeAll
    static void startTheDoomedRunsAndCleanseAReferenceLake() {
        spark();
        for (Crash crash : Crash.values()) {
            Path lake = shared.resolve(crash.name().toLowerCase(Locale.ROOT) + "/lake");
            Simulations.simulate(lake, START, SEED, SIMULATE);
            LAKES.put(crash, lake);
            ChildProcess child = startCleanse(crash, lake);
            CHILDREN.put(crash, child);
            KILLS.put(crash, CompletableFuture.supplyAsync(() -> watchAndKill(crash, child), WATCHERS));
        }

        Path reference = shared.resolve("reference/lake");
        report = Simulations.simulate(reference, START, SEED, SIMULATE);
        Cli.succeed("cleanse", "--lake", reference.toString());
        referenceRun = cleanseRuns(reference).get(0);
        referenceReadings = TableSnapshot.ofTable(spark(), reference, READINGS);
        referenceQuarantine = TableSnapshot.ofTable(spark(), reference, QUARANTINE);
    }

    @AfterAll
    static void killWhatIsLeft() {
        CHILDREN.values().forEach(ChildProcess::close);
        WATCHERS.shutdownNow();
    }

    @ParameterizedTest(name = "killed {0}")
    @EnumSource(Crash.class)
    void theRunAfterAKilledCleanseLeavesExactlyWhatAnUninterruptedCleanseLeaves(Crash crash) {
        ChildProcess child = CHILDREN.get(crash);
        Kill kill = KILLS.get(crash).join();
        assertThat(kill.reached())
                .as(
                        "the child reached %s before it ended by itself (watched %.0f s)\n%s",
                        crash, kill.seconds(), child.describe())
                .isTrue();
        assertThat(kill.exitValue())
                .as("exit value after SIGKILL\n%s", child.describe())
                .isEqualTo(ChildProcess.SIGKILL_EXIT);
        assertThat(child.isAlive()).isFalse();

        Path lake = LAKES.get(crash);
        Lake tables = Lake.at(spark(), lake.toString());
        assertThat(cleanseRuns(lake))
                .as("run records left by the killed run")
                .noneMatch(r -> r.status() == JobRun.Status.SUCCEEDED);
        // The lake as the kill left it: proves the kill landed where the scenario says (before any write
        // for the timed kill, between the commits for the failpoints).
        assertThat(tables.cleansedReadings().read().count() > 0)
                .as("whether %s holds rows of the run killed %s\n%s", READINGS, crash, child.describe())
                .isEqualTo(crash.readingsWritten);
        assertThat(tables.quarantineEvents().read().count() > 0)
                .as("whether %s holds rows of the run killed %s\n%s", QUARANTINE, crash, child.describe())
                .isEqualTo(crash.quarantineWritten);

        Cli.succeed("cleanse", "--lake", lake.toString());

        TableSnapshot readings = TableSnapshot.ofTable(spark(), lake, READINGS);
        TableSnapshot quarantine = TableSnapshot.ofTable(spark(), lake, QUARANTINE);
        readings.assertSameRowsAs(referenceReadings);
        quarantine.assertSameRowsAs(referenceQuarantine);
        List<JobRun> succeeded = cleanseRuns(lake).stream()
                .filter(r -> r.status() == JobRun.Status.SUCCEEDED)
                .toList();
        assertThat(succeeded).as("SUCCEEDED cleanse runs in control/job_runs").hasSize(1);
        JobRun run = succeeded.get(0);
        assertThat(run.runId()).isEqualTo(referenceRun.runId());
        assertThat(run.inputFiles()).containsExactlyInAnyOrderElementsOf(LakeFiles.rawFiles(lake));
        assertThat(RunCounts.of(run.counts()))
                .as("counts of the finishing run")
                .isEqualTo(RunCounts.of(report.expected()))
                .isEqualTo(RunCounts.of(referenceRun.counts()));
        assertThat(run.count("lines_in"))
                .isEqualTo(run.count("events_cleansed") + run.count("lines_quarantined") + run.count("duplicates"));
        assertThat(run.count("readings_cleansed")).isEqualTo(readings.size());
        assertThat(run.count("quarantine_rows")).isEqualTo(quarantine.size());
    }

    /** Starts {@code sensorhouse cleanse --lake LAKE} in a child JVM armed with the scenario's failpoint. */
    private static ChildProcess startCleanse(Crash crash, Path lake) {
        Path scratch = lake.resolveSibling("scratch");
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = crash.failpoint == null ? List.of() : List.of("-Dsensorhouse.failpoint=" + crash.failpoint);
        Map<String, String> env = new HashMap<>();
        env.put("SENSORHOUSE_FAILPOINT", null);
        return ChildProcess.start(
                ChildProcess.sensorhouseJava(scratch, jvm, "cleanse", "--lake", lake.toString()), scratch, env);
    }

    /** Waits for the scenario's kill point and SIGKILLs the child there. */
    private static Kill watchAndKill(Crash crash, ChildProcess child) {
        long started = System.nanoTime();
        boolean reached;
        if (crash.failpoint != null) {
            reached = child.awaitStderr("FAILPOINT " + crash.failpoint, REACH_TIMEOUT);
        } else {
            reached = child.awaitStderr("[cleanse] run ", REACH_TIMEOUT);
            if (reached) {
                child.awaitStderr("[cleanse] validated", WHILE_VALIDATING_DELAY);
            }
        }
        boolean aliveAtKill = child.isAlive();
        int exit = child.killHard();
        return new Kill(reached && aliveAtKill, (System.nanoTime() - started) / 1e9, exit);
    }

    private static List<JobRun> cleanseRuns(Path lake) {
        return Lake.at(spark(), lake.toString()).jobRuns().all().stream()
                .filter(r -> r.job().equals("cleanse"))
                .toList();
    }
}
