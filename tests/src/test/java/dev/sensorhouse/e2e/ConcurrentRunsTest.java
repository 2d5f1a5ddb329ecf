package dev.sensorhouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two jobs on one lake at once, as real processes: the lake's writer lock keeps them from
 * interleaving their commits, so the second never undoes what the first committed.
 *
 * <ol>
 *   <li>A cleanse child holds the lock, stopped at its last failpoint with both tables committed.
 *   <li>A second cleanse with {@code --lock-wait 0s} fails at once with exit 1, naming the holder's
 *       job and pid, and leaves the tables and the run history exactly as they were.
 *   <li>A rollup child with {@code --lock-wait 5m} reports that it waits for the holder.
 *   <li>The holder is SIGKILLed: the kernel drops its lock, the waiting rollup takes it and finishes,
 *       and a new cleanse takes it and finishes the killed run's work.
 * </ol>
 */
class ConcurrentRunsTest extends SparkTestBase {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @Test
    void aSecondWriterFailsOrWaitsAndNeverUndoesTheFirstWritersCommits() throws Exception {
        spark();
        Path lake = lakeDir();
        Simulations.simulate(lake, "2026-01-01T00:00:00Z", 99, "--devices", "4", "--duration", "2h");
        Path scratch = tmp.resolve("scratch");
        Files.createDirectories(scratch);
        Map<String, String> env = new HashMap<>();
        env.put("SENSORHOUSE_FAILPOINT", null);
        try (ChildProcess holder = ChildProcess.start(
                ChildProcess.sensorhouseJava(
                        scratch,
                        List.of("-Dsensorhouse.failpoint=cleanse.before-run-record"),
                        "cleanse",
                        "--lake",
                        lake.toString()),
                scratch,
                env)) {
            assertThat(holder.awaitStderr("FAILPOINT cleanse.before-run-record", TIMEOUT))
                    .as(holder.describe())
                    .isTrue();
            Lake tables = Lake.at(spark(), lake.toString());
            Map<String, Long> versions = LakeTable.versions(tables.cleansedReadings(), tables.quarantineEvents());
            int runs = tables.jobRuns().all().size();

            Cli.Outcome refused = Cli.run("cleanse", "--lake", lake.toString(), "--lock-wait", "0s");

            assertThat(refused.code()).as(refused.describe()).isEqualTo(1);
            assertThat(refused.err())
                    .contains("is locked by another writer: job cleanse (pid " + holder.pid() + " on host");
            assertThat(LakeTable.versions(tables.cleansedReadings(), tables.quarantineEvents()))
                    .as("table versions after the refused run")
                    .isEqualTo(versions);
            assertThat(tables.jobRuns().all())
                    .as("run records after the refused run")
                    .hasSize(runs);

            try (ChildProcess waiter = ChildProcess.start(
                    ChildProcess.sensorhouseJava(
                            scratch.resolve("waiter"),
                            List.of(),
                            "rollup",
                            "--lake",
                            lake.toString(),
                            "--lock-wait",
                            "5m"),
                    scratch,
                    env)) {
                assertThat(waiter.awaitStderr("waiting for the lake's writer lock, held by job cleanse", TIMEOUT))
                        .as(waiter.describe())
                        .isTrue();
                assertThat(holder.killHard()).isEqualTo(ChildProcess.SIGKILL_EXIT);
                assertThat(waiter.waitFor(TIMEOUT)).as(waiter.describe()).isZero();
            }

            Cli.succeed("cleanse", "--lake", lake.toString(), "--lock-wait", "0s");
            List<JobRun> cleanses = tables.jobRuns().succeeded("cleanse");
            assertThat(cleanses).hasSize(1);
            JobRun run = cleanses.get(0);
            assertThat(run.count("lines_in"))
                    .isPositive()
                    .isEqualTo(run.count("events_cleansed") + run.count("lines_quarantined") + run.count("duplicates"));
            assertThat(tables.cleansedReadings().read().count()).isEqualTo(run.count("readings_cleansed"));
        }
    }
}
