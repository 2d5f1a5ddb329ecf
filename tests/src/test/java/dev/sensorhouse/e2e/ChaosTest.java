package dev.sensorhouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.TableContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code sensorhouse run} SIGKILLed at several random instants in a row, then run to the end: the lake
 * and the warehouse must equal those of one uninterrupted run on an identical lake. The instants are
 * drawn from a fixed seed (printed on failure) between the child's first progress line and
 * {@link #MAX_DELAY} after it, so they fall in dimensions, cleanse, rollup or the load.
 */
class ChaosTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final String[] SIMULATE = {"--devices", "5", "--duration", "3h", "--interval", "120s"};
    private static final long SEED = 1234;
    private static final int KILLS = 3;
    private static final Duration MAX_DELAY = Duration.ofSeconds(40);
    private static final Duration TIMEOUT = Duration.ofMinutes(6);

    @Test
    void killingRunAtRandomInstantsAndRunningItAgainGivesTheTablesOfAnUninterruptedRun() throws Exception {
        spark();
        Path reference = tmp.resolve("reference/lake");
        Simulations.simulate(reference, START, SEED, SIMULATE);
        Cli.succeed("run", "--lake", reference.toString());

        Path lake = tmp.resolve("chaos/lake");
        Simulations.simulate(lake, START, SEED, SIMULATE);
        Random random = new Random(SEED);
        List<String> kills = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        env.put("SENSORHOUSE_FAILPOINT", null);
        for (int i = 0; i < KILLS; i++) {
            Path scratch = tmp.resolve("chaos/scratch-" + i);
            Files.createDirectories(scratch);
            long delay = random.nextInt((int) MAX_DELAY.toMillis());
            try (ChildProcess run = ChildProcess.start(
                    ChildProcess.sensorhouseJava(scratch, List.of(), "run", "--lake", lake.toString()), scratch, env)) {
                assertThat(run.awaitStderr("[", TIMEOUT)).as(run.describe()).isTrue();
                Thread.sleep(delay);
                boolean alive = run.isAlive();
                int exit = alive ? run.killHard() : run.waitFor(TIMEOUT);
                String last = run.stderr()
                        .lines()
                        .filter(l -> l.startsWith("["))
                        .reduce((a, b) -> b)
                        .orElse("");
                kills.add(String.format(
                        "kill %d at +%d ms: %s (last step: %s)", i, delay, alive ? "killed" : "ended " + exit, last));
            }
        }
        String story = String.join("\n", kills);
        Cli.succeed("run", "--lake", lake.toString());

        for (TableContract t : TableContract.ALL) {
            if (t != TableContract.JOB_RUNS) {
                TableSnapshot.ofTable(spark(), lake, t.path())
                        .assertSameRowsAs(TableSnapshot.ofTable(spark(), reference, t.path()));
            }
        }
        assertThat(succeededRuns(lake)).as(story).isEqualTo(succeededRuns(reference));
        assertThat(warehouse(lake)).as(story).isEqualTo(warehouse(reference));
    }

    /** The (job, run id) of every SUCCEEDED run record. */
    private static Set<String> succeededRuns(Path lake) {
        Set<String> runs = new TreeSet<>();
        for (JobRun r : Lake.at(spark(), lake.toString()).jobRuns().all()) {
            if (r.status() == JobRun.Status.SUCCEEDED) {
                runs.add(r.job() + " " + r.runId());
            }
        }
        return runs;
    }

    /** The fact and dimension rows of the lake's embedded warehouse, as sorted text. */
    private static List<String> warehouse(Path lake) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake.resolve("warehouse.duckdb"));
                Statement s = c.createStatement()) {
            for (String table : List.of(
                    "dim_device",
                    "dim_location",
                    "dim_metric",
                    "dim_date",
                    "fact_reading",
                    "fact_reading_hourly",
                    "fact_reading_daily")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int k = 1; k <= n; k++) {
                            row.append('|').append(rs.getString(k));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        rows.sort(null);
        return rows;
    }
}
